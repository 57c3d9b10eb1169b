package io.weft.gate.security;

import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.weft.core.auth.AuthOptions;
import io.weft.core.client.MeshClient;
import io.weft.core.client.MeshClientOptions;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.conn.ConnectionOptions;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.RouteRequest;
import io.weft.gate.GateOptions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An external gate before an echo service, run for the hostile-input tests with small limits, and
 * a well-behaved client that must keep being served whatever the others do. Blocking API.
 */
final class HostileMesh implements AutoCloseable {

  /** Small enough to hit, large enough for every legitimate frame of the tests. */
  static final int MAX_FRAME_BYTES = 64 * 1024;
  static final int MAX_UNAUTHENTICATED_FRAME_BYTES = 4096;

  final Vertx vertx = Vertx.vertx();
  final SecureMesh mesh = new SecureMesh(vertx);
  private MeshClient healthy;

  /** The options the hostile tests start from: a 200 ms auth timeout, 1.5 s heartbeat dead time. */
  static GateOptions options() {
    return SecureMesh.external()
        .setAuth(new AuthOptions(SecureMesh.auth()).setReplayWindowMs(0))
        .setMaxUnauthenticatedFrameBytes(MAX_UNAUTHENTICATED_FRAME_BYTES)
        .setClientConnection(new ConnectionOptions().setMaxFrameBytes(MAX_FRAME_BYTES).setHeartbeat(500, 1500));
  }

  HostileMesh(GateOptions options) throws Exception {
    mesh.echo();
    mesh.gate(options);
    mesh.awaitRoutable("echo", 1);
    healthy = mesh.client(SecureMesh.token("healthy"));
  }

  int port() {
    return mesh.port;
  }

  /** True when the well-behaved client gets its echo back. */
  boolean healthyClientServed() {
    try {
      Map<?, ?> reply = healthy.call("demo", "echo", "Echo", Map.of("Text", "still here"), Map.class)
          .await(5, TimeUnit.SECONDS);
      return "still here".equals(reply.get("Text"));
    } catch (Exception e) {
      System.out.println("healthy client not served: " + e);
      return false;
    }
  }

  /** A new, authenticated raw connection. */
  RawClient authenticated() throws Exception {
    RawClient raw = new RawClient(mesh.port);
    raw.send(new Envelope.AuthRequest(1, SecureMesh.token("fuzzer"), null));
    Envelope answer = raw.read(3000);
    if (!(answer instanceof Envelope.AuthResponse a) || a.code() != 0) {
      raw.close();
      throw new IllegalStateException("auth failed: " + answer);
    }
    return raw;
  }

  Map<String, Long> counters() {
    return mesh.counters();
  }

  static RouteRequest echo(long rid, String text) {
    return route(rid, "Echo", ArgsCodec.encodeInnerRpc("Echo", Map.of("Text", text)));
  }

  static RouteRequest route(long rid, String method, byte[] innerRpc) {
    return new RouteRequest(rid, "demo", "echo", Unpooled.wrappedBuffer(innerRpc), Envelope.ABSENT, null, null, null, null);
  }

  /** Heap in use after a collection, in MiB: a rough figure, printed, never asserted tightly. */
  static long heapUsedMiB() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 2; i++) {
      System.gc();
    }
    return (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
  }

  @Override
  public void close() throws Exception {
    if (healthy != null) {
      healthy.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
