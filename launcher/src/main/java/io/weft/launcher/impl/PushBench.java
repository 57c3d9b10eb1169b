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
import io.weft.service.Pushes;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Pushes through the push service to logged-in clients: receiver connections log client ids in,
 * pusher connections call {@code push.Push} in a closed loop, each to a random client id, and
 * the time from the call to the push's arrival at its client is measured. Safe pushes are
 * acknowledged by the receivers, as a client SDK does.
 */
final class PushBench {

  /** The pushed call; {@code T} carries the send time (the bench's own clock). */
  public record BenchPush(long t, byte[] data) {
  }

  private final BenchPlan plan;
  private final PrintStream out;
  private final boolean safe;
  private final Measurement measurement;
  private volatile boolean running = true;

  PushBench(BenchPlan plan, PrintStream out, boolean safe) {
    this.plan = plan;
    this.out = out;
    this.safe = safe;
    this.measurement = new Measurement(out, "pushes");
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
    MeshClientOptions clientOptions = new MeshClientOptions().setHost(plan.host()).setPort(plan.port())
        .setToken(plan.token()).setClientLabel("weft-bench").setCallTimeoutMs(Math.max(1, plan.timeoutMs()));
    List<String> clientIds = new ArrayList<>();
    List<MeshClient> receivers = new ArrayList<>();
    for (int c = 0; c < plan.connections(); c++) {
      MeshClient receiver = MeshClient.connect(vertx, clientOptions).await(10, TimeUnit.SECONDS);
      receiver.onPush("BenchPush", BenchPush.class, (clientId, pushId, push) -> {
        measurement.record(System.nanoTime() - push.t());
        return Future.succeededFuture();
      });
      List<Future<Void>> logins = new ArrayList<>();
      for (int i = 0; i < plan.clientsPerConnection(); i++) {
        String clientId = "bench-" + c + "-" + i;
        clientIds.add(clientId);
        logins.add(receiver.login(clientId));
      }
      Future.all(logins).await(30, TimeUnit.SECONDS);
      receivers.add(receiver);
    }
    List<MeshClient> pushers = new ArrayList<>();
    for (int p = 0; p < plan.pushers(); p++) {
      pushers.add(MeshClient.connect(vertx, clientOptions).await(10, TimeUnit.SECONDS));
    }
    out.printf("bench %s: gate %s:%d, %d receiver connections x %d client ids, %d pushers x %d in flight, payload %d B,"
            + " warm-up %ds, measure %ds%n", safe ? "safe-push" : "push", plan.host(), plan.port(), plan.connections(),
        plan.clientsPerConnection(), plan.pushers(), plan.inflight(), plan.payloadBytes(), plan.warmup().toSeconds(),
        plan.duration().toSeconds());
    byte[] data = new byte[plan.payloadBytes()];
    CallOptions callOptions = CallOptions.DEFAULT.withTimeoutMs(plan.timeoutMs());
    CountDownLatch stopped = new CountDownLatch(plan.pushers() * plan.inflight());
    for (MeshClient pusher : pushers) {
      for (int k = 0; k < plan.inflight(); k++) {
        pusher.context().runOnContext(v -> loop(pusher, clientIds, data, callOptions, stopped));
      }
    }
    JsonObject figures = measurement.run(plan.warmup(), plan.duration());
    running = false;
    stopped.await(plan.timeoutMs() + 5000, TimeUnit.MILLISECONDS);
    for (MeshClient client : pushers) {
      client.close();
    }
    for (MeshClient client : receivers) {
      client.close();
    }
    return plan.toJson().put("scenario", safe ? "safe-push" : "push").put("call", plan.pushNamespace() + "/push.Push")
        .put("pushers", plan.pushers()).put("clientIds", clientIds.size()).mergeIn(figures);
  }

  private void loop(MeshClient pusher, List<String> clientIds, byte[] data, CallOptions callOptions,
                    CountDownLatch stopped) {
    if (!running) {
      stopped.countDown();
      return;
    }
    String clientId = clientIds.get(ThreadLocalRandom.current().nextInt(clientIds.size()));
    byte[] innerRpc = ArgsCodec.encodeInnerRpc("BenchPush", new BenchPush(System.nanoTime(), data));
    pusher.call(plan.pushNamespace(), "push", "Push", new Pushes.Push(clientId, innerRpc, safe), Pushes.PushResult.class,
        callOptions).onComplete(ar -> {
          if (ar.failed()) {
            measurement.error(ar.cause() instanceof MeshException me ? String.valueOf(me.code().value()) : "client");
            if (!pusher.isOpen()) {
              stopped.countDown();
              return;
            }
          } else if (!ar.result().delivered()) {
            measurement.error("undelivered");
          }
          loop(pusher, clientIds, data, callOptions, stopped);
        });
  }
}
