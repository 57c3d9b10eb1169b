package io.weft.gate.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.Code;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.RouteResponse;
import io.weft.gate.impl.GateShared;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Attacks on a real external gate: slowloris, connection floods, oversize length claims, deeply
 * nested args, unauthenticated calls, a client that never reads. Each checks that the gate stays
 * up, holds no more than its limits, and keeps serving a well-behaved client, and prints its
 * figures ("FIGURES ...", recorded in docs/SECURITY.md). Nothing here asserts on timing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileInputIT {

  @Test
  void slowlorisConnectionsAreClosedByTheAuthTimeoutAndTheFrameLimit() throws Exception {
    try (HostileMesh mesh = new HostileMesh(HostileMesh.options())) {
      byte[] auth = RawClient.frame(new Envelope.AuthRequest(1, SecureMesh.token("slow"), null));
      List<RawClient> slow = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        slow.add(new RawClient(mesh.port()));
      }
      // One byte per second of an auth frame, for three seconds.
      int closed = 0;
      for (int second = 0; second < 3; second++) {
        for (RawClient raw : slow) {
          try {
            raw.write(new byte[] {auth[second]});
          } catch (IOException gone) {
            // closed already
          }
        }
        Thread.sleep(1000);
      }
      for (RawClient raw : slow) {
        closed += raw.closedWithin(1000) ? 1 : 0;
        raw.close();
      }
      assertThat(closed).as("every slowloris connection closed").isEqualTo(50);

      // Authenticated, a frame trickling in is held no longer than the heartbeat dead time, and no
      // larger than the frame limit: a larger claim is refused at once.
      RawClient trickle = mesh.authenticated();
      trickle.write(ByteBuffer.allocate(4).putInt(HostileMesh.MAX_FRAME_BYTES).array());
      long start = System.nanoTime();
      boolean trickleClosed = false;
      for (int second = 0; second < 5 && !trickleClosed; second++) {
        try {
          trickle.write(new byte[] {(byte) 0x92});
          trickleClosed = trickle.closedWithin(1000);
        } catch (IOException gone) {
          trickleClosed = true;
        }
      }
      long heldMs = (System.nanoTime() - start) / 1_000_000;
      trickle.close();
      assertThat(trickleClosed).as("a frame trickling in is dropped at the heartbeat dead time").isTrue();
      assertThat(mesh.healthyClientServed()).isTrue();
      System.out.printf("FIGURES slowloris: connections=50 closedByAuthTimeout=%d trickleHeldMs=%d counters=%s%n",
          mesh.counters().get(GateShared.AUTH_TIMEOUT), heldMs, mesh.counters());
    }
  }

  @Test
  void aConnectionFloodIsHeldToThePerIpAndPerGateLimits() throws Exception {
    int perIp = 50;
    int perGate = 400;
    // A long auth timeout: the flood's connections stay as long as the limits let them.
    try (HostileMesh mesh = new HostileMesh(HostileMesh.options().setAuthTimeoutMs(60_000)
        .setMaxConnectionsPerIp(perIp).setMaxConnections(perGate))) {
      long heapBefore = HostileMesh.heapUsedMiB();
      List<RawClient> flood = new ArrayList<>();
      int attempts = 0;
      long start = System.nanoTime();
      for (int address = 2; address < 12; address++) {
        InetAddress from = InetAddress.getByName("127.0.0." + address);
        for (int i = 0; i < 200; i++) {
          attempts++;
          try {
            flood.add(new RawClient(from, mesh.port()));
          } catch (IOException refused) {
            // the gate may have closed it already
          }
        }
      }
      long floodMs = (System.nanoTime() - start) / 1_000_000;
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
        Map<String, Long> c = mesh.counters();
        long seen = c.getOrDefault(GateShared.ACCEPTED, 0L) + c.getOrDefault(GateShared.REFUSED_PER_IP, 0L)
            + c.getOrDefault(GateShared.REFUSED_MAX_CONNECTIONS, 0L);
        return seen >= 2000;
      });
      Map<String, Long> during = mesh.counters();
      long held = during.get("connections.open");
      long heapDuring = HostileMesh.heapUsedMiB();
      assertThat(held).as("at most the gate's limit (the healthy client included)").isLessThanOrEqualTo(perGate);
      assertThat(during.get(GateShared.REFUSED_PER_IP)).isPositive();
      assertThat(mesh.healthyClientServed()).as("an existing client is served during the flood").isTrue();
      flood.forEach(RawClient::close);
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> mesh.counters().get("connections.open") == 1);
      try (RawClient late = mesh.authenticated()) {
        late.send(HostileMesh.echo(1, "after"));
        assertThat(late.read(3000)).isInstanceOfSatisfying(RouteResponse.class, r -> assertThat(r.code()).isZero());
      }
      System.out.printf("FIGURES flood: attempts=%d from=10 addresses in %d ms, held=%d (limits %d/IP, %d/gate),"
              + " refusedPerIp=%d refusedPerGate=%d heapBeforeMiB=%d heapDuringMiB=%d (%.1f KiB per held connection)%n",
          attempts, floodMs, held, perIp, perGate, during.get(GateShared.REFUSED_PER_IP),
          during.getOrDefault(GateShared.REFUSED_MAX_CONNECTIONS, 0L), heapBefore, heapDuring,
          (heapDuring - heapBefore) * 1024.0 / Math.max(1, held));
    }
  }

  @Test
  void oversizeLengthClaimsCloseAtOnceBeforeAndAfterAuth() throws Exception {
    try (HostileMesh mesh = new HostileMesh(HostileMesh.options())) {
      int[] claims = {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, HostileMesh.MAX_FRAME_BYTES + 1, 0};
      int closed = 0;
      for (int claim : claims) {
        for (boolean authenticated : new boolean[] {false, true}) {
          try (RawClient raw = authenticated ? mesh.authenticated() : new RawClient(mesh.port())) {
            raw.write(ByteBuffer.allocate(5).putInt(claim).put((byte) 0x92).array());
            closed += raw.closedWithin(2000) ? 1 : 0;
          }
        }
      }
      // Before auth the limit is far smaller: a frame that would be fine afterwards is refused.
      try (RawClient raw = new RawClient(mesh.port())) {
        raw.write(ByteBuffer.allocate(4).putInt(HostileMesh.MAX_UNAUTHENTICATED_FRAME_BYTES + 1).array());
        closed += raw.closedWithin(2000) ? 1 : 0;
      }
      assertThat(closed).isEqualTo(claims.length * 2 + 1);
      assertThat(mesh.healthyClientServed()).isTrue();
      System.out.printf("FIGURES oversize: claims=%d closed=%d%n", claims.length * 2 + 1, closed);
    }
  }

  @Test
  void deeplyNestedArgsReachTheServiceAndAreAnswered3() throws Exception {
    try (HostileMesh mesh = new HostileMesh(HostileMesh.options())) {
      int depth = 20_000;
      ByteArrayOutputStream inner = new ByteArrayOutputStream();
      inner.write(0x92);
      inner.write(0xa6);
      inner.write("PushMe".getBytes());
      for (int i = 0; i < depth; i++) {
        inner.write(0x91);
      }
      inner.write(0xc0);
      try (RawClient raw = mesh.authenticated()) {
        for (int i = 1; i <= 20; i++) {
          raw.send(HostileMesh.route(i, "PushMe", inner.toByteArray()));
          assertThat(raw.read(5000)).isInstanceOfSatisfying(RouteResponse.class,
              r -> assertThat(r.code()).isEqualTo(Code.INVALID_ARGUMENT.value()));
        }
        raw.send(HostileMesh.echo(99, "fine"));
        assertThat(raw.read(5000)).isInstanceOfSatisfying(RouteResponse.class, r -> assertThat(r.code()).isZero());
      }
      assertThat(mesh.healthyClientServed()).isTrue();
      System.out.printf("FIGURES nesting: depth=%d calls=20 answered=3 each, service up%n", depth);
    }
  }

  @Test
  void unauthenticatedCallsAreNeverRoutedNorAnswered() throws Exception {
    try (HostileMesh mesh = new HostileMesh(HostileMesh.options())) {
      int unanswered = 0;
      for (int i = 0; i < 200; i++) {
        try (RawClient raw = new RawClient(mesh.port())) {
          raw.send(HostileMesh.echo(i + 1, "sneaky"));
          unanswered += raw.read(2000) == null ? 1 : 0;
        } catch (SocketTimeoutException e) {
          // not closed: counted as answered, which fails below
        }
      }
      assertThat(unanswered).isEqualTo(200);
      assertThat(mesh.counters().get(GateShared.AUTH_OUT_OF_ORDER)).isEqualTo(200);
      assertThat(mesh.healthyClientServed()).isTrue();
      System.out.printf("FIGURES unauthenticated: calls=200 closedUnanswered=%d%n", unanswered);
    }
  }

  @Test
  void aClientThatDoesNotReadIsPausedThenDropped() throws Exception {
    try (HostileMesh mesh = new HostileMesh(HostileMesh.options().setClientConnection(
        new io.weft.core.conn.ConnectionOptions().setMaxFrameBytes(HostileMesh.MAX_FRAME_BYTES).setHeartbeat(500, 1500)
            .setWriteLimits(16 * 1024, 256 * 1024)))) {
      RawClient reader = mesh.authenticated();
      reader.socket.setReceiveBufferSize(4096);
      String text = "x".repeat(8 * 1024);
      byte[] call = RawClient.frame(HostileMesh.echo(1, text));
      long heapBefore = HostileMesh.heapUsedMiB();
      // Requests go out from another thread: once the gate stops reading, the writes block.
      Thread writer = new Thread(() -> {
        try {
          for (int i = 0; i < 5000; i++) {
            reader.write(call);
          }
        } catch (IOException dropped) {
          // the gate closed the connection
        }
      });
      writer.setDaemon(true);
      writer.start();
      Awaitility.await().atMost(Duration.ofSeconds(20))
          .until(() -> mesh.counters().getOrDefault(GateShared.SLOW_READER_PAUSED, 0L) > 0);
      long heapPaused = HostileMesh.heapUsedMiB();
      assertThat(mesh.healthyClientServed()).as("others are served meanwhile").isTrue();
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> mesh.counters().get("connections.open") == 1);
      writer.join(5000);
      reader.close();
      System.out.printf("FIGURES slowReader: paused=%d then dropped, heapBeforeMiB=%d heapWhilePausedMiB=%d%n",
          mesh.counters().get(GateShared.SLOW_READER_PAUSED), heapBefore, heapPaused);
    }
  }
}
