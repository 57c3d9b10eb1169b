package io.weft.launcher.impl;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.weft.core.client.CallOptions;
import io.weft.core.client.MeshClientOptions;
import io.weft.core.codec.ArgsCodec;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Calls over {@code --connections} connections, closed or open loop ({@link LoadDriver}), with
 * latency in HdrHistogram ({@link Measurement}) and CPU per call from /proc ({@link CpuAccounting}).
 * The c2s and s2s scenarios call a service through a gate; echo sends the same frames to
 * {@code weft echo-server}, the limit of a connection that does nothing.
 */
final class CallBench {

  private final BenchPlan plan;
  private final PrintStream out;
  private final Measurement measurement;

  CallBench(BenchPlan plan, PrintStream out) {
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
    List<BenchConnection> connections = new ArrayList<>();
    for (int i = 0; i < plan.connections(); i++) {
      connections.add(plan.scenario() == BenchCommand.Scenario.echo
          ? EchoBenchConnection.connect(vertx, plan.host(), plan.port(), innerRpc)
          : MeshBenchConnection.connect(vertx, clientOptions, plan.namespace(), plan.service(), innerRpc,
              callOptions));
    }
    out.printf("bench %s (%s.%s): %s:%d, %d connections x %s, payload %d B, warm-up %ds, measure %ds%n",
        plan.scenario(), plan.service(), plan.method(), plan.host(), plan.port(), plan.connections(),
        plan.rate() > 0 ? String.format("open loop at %,.0f calls/s in all", plan.rate()) : plan.inflight() + " in flight",
        plan.payloadBytes(), plan.warmup().toSeconds(), plan.duration().toSeconds());
    LoadDriver driver = new LoadDriver(vertx, connections, plan.inflight(), plan.rate(), measurement);
    driver.start();
    CpuAccounting cpu = new CpuAccounting(plan.sutPids());
    JsonObject figures = measurement.run(plan.warmup(), plan.duration(), cpu::start);
    JsonObject cpuFigures = cpu.stop(figures.getLong("calls"));
    driver.stop(plan.timeoutMs() + 5000);
    for (BenchConnection connection : connections) {
      connection.close();
    }
    if (cpuFigures.getBoolean("disturbed")) {
      out.printf("warning: other processes used %.2f CPU-seconds and the hypervisor took %.2f (steal) during the"
          + " measurement: this run is disturbed%n", cpuFigures.getDouble("otherCpuSec"), cpuFigures.getDouble("stealCpuSec"));
    }
    if (cpuFigures.containsKey("sutCpuUsPerOp")) {
      out.printf("cpu: %.1f us per call in the processes under test, %.1f us in the load generator%n",
          cpuFigures.getDouble("sutCpuUsPerOp"), cpuFigures.getDouble("benchCpuUsPerOp"));
    }
    return plan.toJson().mergeIn(figures).put("cpu", cpuFigures);
  }
}
