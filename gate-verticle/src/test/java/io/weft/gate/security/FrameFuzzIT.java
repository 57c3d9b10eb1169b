package io.weft.gate.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.protocol.Envelope;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of a real external gate with jqwik: random bytes and mutated valid
 * frames (bytes overwritten, truncated, length prefixes rewritten, garbage appended), sent before
 * or after authenticating. Whatever comes, the gate stays up, keeps serving a well-behaved client,
 * and lets go of every hostile connection. The figures are printed (see docs/SECURITY.md).
 */
class FrameFuzzIT {

  private static HostileMesh mesh;
  private static long heapBeforeMiB;
  private static final AtomicLong tries = new AtomicLong();
  private static final AtomicLong closedByGate = new AtomicLong();
  private static final AtomicLong answered = new AtomicLong();
  private static final AtomicLong leftOpen = new AtomicLong();

  /** Valid frames the mutations start from: what a client may send, and some it may not. */
  private static final List<byte[]> VALID = List.of(
      RawClient.frame(new Envelope.AuthRequest(1, SecureMesh.token("fuzz"), "label")),
      RawClient.frame(HostileMesh.echo(7, "hello")),
      RawClient.frame(HostileMesh.route(8, "Sleep", ArgsCodec.encodeInnerRpc("Sleep", Map.of("Ms", 1)))),
      RawClient.frame(new Envelope.RouteRequest(9, "demo", "echo",
          Unpooled.wrappedBuffer(ArgsCodec.encodeInnerRpc("Echo", Map.of())), 50, "order", "hash",
          Map.of("zone", "a"), "trace", "failover", true)),
      RawClient.frame(new Envelope.LoginRequest(3, "fuzzer")),
      RawClient.frame(new Envelope.LogoffRequest(4, "fuzzer")),
      RawClient.frame(new Envelope.PushReply("fuzzer", "01ABC")),
      RawClient.frame(Envelope.HeartbeatRequest.INSTANCE),
      RawClient.frame(new Envelope.RouteResponse(5, 0, null, Unpooled.wrappedBuffer(new byte[] {(byte) 0xc0}))));

  @BeforeContainer
  static void start() throws Exception {
    mesh = new HostileMesh(HostileMesh.options());
    heapBeforeMiB = HostileMesh.heapUsedMiB();
  }

  @AfterContainer
  static void stop() throws Exception {
    try {
      assertThat(mesh.healthyClientServed()).as("the well-behaved client is served after the fuzzing").isTrue();
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
          .until(() -> mesh.counters().get("connections.open") == 1);
      long heapAfter = HostileMesh.heapUsedMiB();
      System.out.printf("FIGURES fuzz: tries=%d closedByGate=%d answered=%d stillOpenAfter150ms=%d"
              + " connectionsOpenAfter=%d heapBeforeMiB=%d heapAfterMiB=%d counters=%s%n",
          tries.get(), closedByGate.get(), answered.get(), leftOpen.get(), mesh.counters().get("connections.open"),
          heapBeforeMiB, heapAfter, mesh.counters());
    } finally {
      mesh.close();
    }
  }

  @Property(tries = 400, seed = "20261122")
  void hostileBytesNeverHurtTheGate(@ForAll("hostileBytes") byte[] bytes, @ForAll boolean authenticateFirst)
      throws Exception {
    tries.incrementAndGet();
    try (RawClient raw = authenticateFirst ? mesh.authenticated() : new RawClient(mesh.port())) {
      try {
        raw.write(bytes);
      } catch (java.io.IOException closedWhileWriting) {
        closedByGate.incrementAndGet();
        return;
      }
      boolean gotSomething = false;
      try {
        while (true) {
          Envelope e = raw.read(150);
          if (e == null) {
            closedByGate.incrementAndGet();
            break;
          }
          gotSomething = true;
        }
      } catch (SocketTimeoutException stillOpen) {
        leftOpen.incrementAndGet();
      } catch (RuntimeException undecodable) {
        throw new AssertionError("the gate sent a frame that does not decode", undecodable);
      }
      if (gotSomething) {
        answered.incrementAndGet();
      }
    }
    if (tries.get() % 50 == 0) {
      assertThat(mesh.healthyClientServed()).as("served after " + tries.get() + " tries").isTrue();
    }
  }

  @Provide
  Arbitrary<byte[]> hostileBytes() {
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(2048);
    Arbitrary<byte[]> mutated = Combinators.combine(
        Arbitraries.of(VALID),
        Arbitraries.integers().between(0, 3),
        Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMinSize(1).ofMaxSize(8),
        Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8))
        .as(FrameFuzzIT::mutate);
    Arbitrary<byte[]> lengthClaims = Arbitraries.integers().between(Integer.MIN_VALUE, Integer.MAX_VALUE)
        .map(n -> ByteBuffer.allocate(8).putInt(n).putInt(0x92a1_4100).array());
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, random), net.jqwik.api.Tuple.of(6, mutated), net.jqwik.api.Tuple.of(1, lengthClaims));
  }

  private static byte[] mutate(byte[] valid, int kind, List<Integer> positions, byte[] values) {
    byte[] out = valid.clone();
    switch (kind) {
      case 0 -> { // overwrite body bytes (the length prefix stays right)
        for (int i = 0; i < positions.size(); i++) {
          int at = 4 + positions.get(i) % (out.length - 4);
          out[at] = values[i % values.length];
        }
      }
      case 1 -> { // truncate
        out = java.util.Arrays.copyOf(out, 1 + positions.get(0) % (out.length - 1));
      }
      case 2 -> { // rewrite the length prefix
        ByteBuffer.wrap(out).putInt(positions.get(0) % (HostileMesh.MAX_FRAME_BYTES * 2));
      }
      default -> { // append garbage after a valid frame
        byte[] longer = java.util.Arrays.copyOf(out, out.length + values.length);
        System.arraycopy(values, 0, longer, out.length, values.length);
        out = longer;
      }
    }
    return out;
  }
}
