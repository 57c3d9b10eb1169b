package io.weft.core.client;

import io.vertx.core.Vertx;
import io.weft.core.conn.ConnectionOptions;
import io.weft.core.conn.MeshConnection;
import io.weft.core.protocol.Envelope;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/** A scripted gate: the test decides how each received envelope is answered. */
final class FakeGate {

  final BlockingQueue<Envelope> received = new LinkedBlockingQueue<>();
  final CompletableFuture<MeshConnection> connection = new CompletableFuture<>();
  private volatile BiConsumer<MeshConnection, Envelope> script = (c, e) -> { };
  private final int port;

  FakeGate(Vertx vertx) throws Exception {
    port = vertx.createNetServer().connectHandler(socket -> {
      MeshConnection conn = MeshConnection.attach(socket, new ConnectionOptions(), e -> {
        received.add(copy(e));
        script.accept(connection.getNow(null), e);
      });
      connection.complete(conn);
    }).listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS).actualPort();
  }

  int port() {
    return port;
  }

  void script(BiConsumer<MeshConnection, Envelope> script) {
    this.script = script;
  }

  Envelope next() throws InterruptedException {
    Envelope e = received.poll(5, TimeUnit.SECONDS);
    if (e == null) {
      throw new AssertionError("the gate received nothing within 5 s");
    }
    return e;
  }

  /** Bin fields point into the frame, which is gone after the handler: keep a copy. */
  private static Envelope copy(Envelope e) {
    if (e instanceof Envelope.RouteRequest r) {
      return new Envelope.RouteRequest(r.rid(), r.namespace(), r.serviceName(),
          r.innerRpc() == null ? null : io.netty.buffer.Unpooled.copiedBuffer(r.innerRpc()), r.timeoutMs(),
          r.orderKey(), r.hashKey(), r.tags(), r.trace());
    }
    return e;
  }
}
