package io.weft.launcher.impl;

import io.netty.buffer.Unpooled;
import io.netty.util.collection.LongObjectHashMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetClient;
import io.weft.core.conn.ConnectionOptions;
import io.weft.core.conn.MeshConnection;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.RouteRequest;
import java.util.concurrent.TimeUnit;

/**
 * A bench connection to {@code weft echo-server}: it sends route frames and matches the echoed
 * frames by their Rid. The same frames and client code as c2s, with nothing behind the socket.
 */
final class EchoBenchConnection implements BenchConnection {

  private final ContextInternal context;
  private final NetClient client;
  private final byte[] innerRpc;
  /** Under {@link #slot}(rid): consecutive keys would crowd one run of the map's linear probing. */
  private final LongObjectHashMap<Handler<String>> pending = new LongObjectHashMap<>();
  private MeshConnection connection;
  private long nextRid = 1;

  private EchoBenchConnection(ContextInternal context, NetClient client, byte[] innerRpc) {
    this.context = context;
    this.client = client;
    this.innerRpc = innerRpc;
  }

  static EchoBenchConnection connect(Vertx vertx, String host, int port, byte[] innerRpc) throws Exception {
    ContextInternal context = ((VertxInternal) vertx).createEventLoopContext();
    EchoBenchConnection echo = new EchoBenchConnection(context, vertx.createNetClient(), innerRpc);
    Promise<EchoBenchConnection> connected = Promise.promise();
    context.runOnContext(v -> echo.client.connect(port, host).onComplete(ar -> {
      if (ar.failed()) {
        connected.fail(ar.cause());
        return;
      }
      echo.connection = MeshConnection.attach(ar.result(), new ConnectionOptions(), echo::echoed);
      echo.connection.closeHandler(reason -> echo.failAll());
      connected.complete(echo);
    }));
    return connected.future().await(10, TimeUnit.SECONDS);
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public void call(Handler<String> done) {
    long rid = nextRid++;
    pending.put(slot(rid), done);
    connection.send(new RouteRequest(rid, "bench", "echo", Unpooled.wrappedBuffer(innerRpc), 10_000, null, null, null,
        null));
  }

  private void echoed(Envelope envelope) {
    if (envelope instanceof RouteRequest r) {
      Handler<String> done = pending.remove(slot(r.rid()));
      if (done != null) {
        done.handle(null);
      }
    }
  }

  private static long slot(long rid) {
    return rid * 0x9E3779B97F4A7C15L;
  }

  private void failAll() {
    pending.values().forEach(done -> done.handle("14"));
    pending.clear();
  }

  @Override
  public boolean isOpen() {
    return connection.isOpen();
  }

  @Override
  public Future<Void> close() {
    return connection.close().eventually(client::close);
  }
}
