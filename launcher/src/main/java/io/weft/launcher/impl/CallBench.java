package io.weft.launcher.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.weft.core.MeshException;
import io.weft.core.client.CallOptions;
import io.weft.core.client.MeshClient;
import io.weft.core.client.MeshClientOptions;
import io.weft.core.codec.ArgsCodec;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Drives calls of the plan's method in a closed loop: every connection keeps {@code inflight} calls
 * outstanding and sends the next as soon as one is answered. Latency is measured from send to answer.
 */
final class ClosedLoopBench {

  private final BenchPlan plan;
  private final PrintStream out;
  private final Measurement measurement;
  private volatile boolean running = true;

  ClosedLoopBench(BenchPlan plan, PrintStream out) {
    this.plan = plan;
    this.out = out;
    this.measurement = new Measurement(out, "calls");
  }

  JsonObject run() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(plan.threads()));
    try {
      return run(vertx);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private JsonObject run(Vertx vertx) throws Exception {
    byte[] innerRpc = ArgsCodec.encodeInnerRpc(plan.method(), plan.scenario().args(plan.payloadBytes()));
    CallOptions callOptions = CallOptions.DEFAULT.withTimeoutMs(plan.timeoutMs());
    MeshClientOptions clientOptions = new MeshClientOptions().setHost(plan.host()).setPort(plan.port())
        .setToken(plan.token()).setClientLabel("weft-bench").setCallTimeoutMs(Math.max(1, plan.timeoutMs()));
    List<MeshClient> clients = new ArrayList<>();
    for (int i = 0; i < plan.connections(); i++) {
      clients.add(MeshClient.connect(vertx, clientOptions).await(10, TimeUnit.SECONDS));
    }
    out.printf("bench %s (%s.%s): gate %s:%d, %d connections x %d in flight, payload %d B, warm-up %ds, measure %ds%n",
        plan.scenario(), plan.scenario().service, plan.method(), plan.host(), plan.port(), plan.connections(),
        plan.inflight(), plan.payloadBytes(), plan.warmup().toSeconds(), plan.duration().toSeconds());

    CountDownLatch stopped = new CountDownLatch(plan.connections() * plan.inflight());
    for (MeshClient client : clients) {
      for (int k = 0; k < plan.inflight(); k++) {
        client.context().runOnContext(v -> loop(client, innerRpc, callOptions, stopped));
      }
    }
    JsonObject figures = measurement.run(plan.warmup(), plan.duration());
    running = false;
    stopped.await(plan.timeoutMs() + 5000, TimeUnit.MILLISECONDS);
    for (MeshClient client : clients) {
      client.close();
    }
    return plan.toJson().mergeIn(figures);
  }

  private void loop(MeshClient client, byte[] innerRpc, CallOptions callOptions, CountDownLatch stopped) {
    if (!running) {
      stopped.countDown();
      return;
    }
    long start = System.nanoTime();
    Future<byte[]> call = client.callRaw(plan.namespace(), plan.scenario().service, innerRpc, callOptions);
    call.onComplete(ar -> {
      if (ar.succeeded()) {
        measurement.record(System.nanoTime() - start);
      } else {
        measurement.error(ar.cause() instanceof MeshException me ? String.valueOf(me.code().value()) : "client");
      }
      if (ar.failed() && !client.isOpen()) {
        stopped.countDown();
        return;
      }
      loop(client, innerRpc, callOptions, stopped);
    });
  }
}
