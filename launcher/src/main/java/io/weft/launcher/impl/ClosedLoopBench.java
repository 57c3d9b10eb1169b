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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives calls of the plan's method in a closed loop: every connection keeps {@code inflight} calls
 * outstanding and sends the next as soon as one is answered. Latency is measured from send to answer.
 */
final class ClosedLoopBench {

  private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.MINUTES.toNanos(2);

  private final BenchPlan plan;
  private final PrintStream out;
  private final Recorder recorder = new Recorder(HIGHEST_TRACKABLE_NANOS, 3);
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private volatile boolean running = true;
  private volatile boolean measuring;

  ClosedLoopBench(BenchPlan plan, PrintStream out) {
    this.plan = plan;
    this.out = out;
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

    Histogram total = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
    long warmupEnd = System.nanoTime() + plan.warmup().toNanos();
    long end = warmupEnd + plan.duration().toNanos();
    int second = 0;
    Histogram interval = null;
    while (System.nanoTime() < warmupEnd) {
      Thread.sleep(Math.min(1000, Math.max(1, (warmupEnd - System.nanoTime()) / 1_000_000)));
      interval = recorder.getIntervalHistogram(interval);
      progress("warm-up", ++second, interval);
    }
    recorder.reset();
    errors.clear();
    measuring = true;
    Instant startedAt = Instant.now();
    long measureStart = System.nanoTime();
    second = 0;
    while (System.nanoTime() < end) {
      Thread.sleep(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      interval = recorder.getIntervalHistogram(interval);
      total.add(interval);
      progress("measure", ++second, interval);
    }
    measuring = false;
    long measuredNanos = System.nanoTime() - measureStart;
    running = false;
    stopped.await(plan.timeoutMs() + 5000, TimeUnit.MILLISECONDS);
    total.add(recorder.getIntervalHistogram());
    for (MeshClient client : clients) {
      client.close();
    }
    return report(total, measuredNanos, startedAt);
  }

  private void loop(MeshClient client, byte[] innerRpc, CallOptions callOptions, CountDownLatch stopped) {
    if (!running) {
      stopped.countDown();
      return;
    }
    long start = System.nanoTime();
    Future<byte[]> call = client.callRaw(plan.namespace(), plan.scenario().service, innerRpc, callOptions);
    call.onComplete(ar -> {
      if (measuring) {
        if (ar.succeeded()) {
          recorder.recordValue(Math.min(HIGHEST_TRACKABLE_NANOS, System.nanoTime() - start));
        } else {
          String key = ar.cause() instanceof MeshException me ? String.valueOf(me.code().value()) : "client";
          errors.computeIfAbsent(key, k -> new LongAdder()).increment();
        }
      }
      if (ar.failed() && !client.isOpen()) {
        stopped.countDown();
        return;
      }
      loop(client, innerRpc, callOptions, stopped);
    });
  }

  private void progress(String phase, int second, Histogram h) {
    long errorCount = errors.values().stream().mapToLong(LongAdder::sum).sum();
    out.printf("  %-7s %3ds %,10d calls/s  p50 %7.3f ms  p99 %7.3f ms  errors %d%n", phase, second,
        h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), errorCount);
  }

  private JsonObject report(Histogram total, long measuredNanos, Instant startedAt) {
    double seconds = measuredNanos / 1e9;
    double throughput = total.getTotalCount() / seconds;
    Map<String, Long> errorCounts = new TreeMap<>();
    errors.forEach((k, v) -> errorCounts.put(k, v.sum()));
    out.printf("result: %,.0f calls/s  p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms  (%,d calls in %.1fs, errors %s)%n",
        throughput, ms(total.getValueAtPercentile(50)), ms(total.getValueAtPercentile(99)),
        ms(total.getValueAtPercentile(99.9)), ms(total.getMaxValue()), total.getTotalCount(), seconds, errorCounts);
    JsonObject latency = new JsonObject()
        .put("p50", us(total.getValueAtPercentile(50)))
        .put("p90", us(total.getValueAtPercentile(90)))
        .put("p99", us(total.getValueAtPercentile(99)))
        .put("p999", us(total.getValueAtPercentile(99.9)))
        .put("max", us(total.getMaxValue()))
        .put("mean", total.getMean() / 1000.0);
    JsonObject errorsJson = new JsonObject();
    errorCounts.forEach(errorsJson::put);
    return plan.toJson()
        .put("startedAt", startedAt.toString())
        .put("calls", total.getTotalCount())
        .put("throughput", Math.round(throughput))
        .put("latencyUs", latency)
        .put("errors", errorsJson);
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static double us(long nanos) {
    return nanos / 1e3;
  }
}
