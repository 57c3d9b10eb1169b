package io.weft.launcher.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.weft.core.MeshException;
import io.weft.core.client.CallOptions;
import io.weft.core.client.MeshClient;
import io.weft.core.client.MeshClientOptions;
import java.util.concurrent.TimeUnit;

/** A bench connection through a gate: every call is the same {@code InnerRpc} to one service. */
final class MeshBenchConnection implements BenchConnection {

  private final MeshClient client;
  private final String namespace;
  private final String service;
  private final byte[] innerRpc;
  private final CallOptions callOptions;

  private MeshBenchConnection(MeshClient client, String namespace, String service, byte[] innerRpc,
                              CallOptions callOptions) {
    this.client = client;
    this.namespace = namespace;
    this.service = service;
    this.innerRpc = innerRpc;
    this.callOptions = callOptions;
  }

  static MeshBenchConnection connect(Vertx vertx, MeshClientOptions options, String namespace, String service,
                                     byte[] innerRpc, CallOptions callOptions) throws Exception {
    MeshClient client = MeshClient.connect(vertx, options).await(10, TimeUnit.SECONDS);
    return new MeshBenchConnection(client, namespace, service, innerRpc, callOptions);
  }

  @Override
  public Context context() {
    return client.context();
  }

  @Override
  public void call(Handler<String> done) {
    client.callRaw(namespace, service, innerRpc, callOptions).onComplete(ar -> done.handle(ar.succeeded() ? null
        : ar.cause() instanceof MeshException me ? String.valueOf(me.code().value()) : "client"));
  }

  @Override
  public boolean isOpen() {
    return client.isOpen();
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }
}
