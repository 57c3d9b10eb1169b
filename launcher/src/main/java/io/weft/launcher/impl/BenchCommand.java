package io.weft.launcher.impl;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weft bench}: a load generator in its own process. Closed loop: each connection keeps
 * {@code --inflight} calls outstanding; latencies go to HdrHistogram; progress is printed each
 * second, then throughput and percentiles of the measured period (after the warm-up).
 */
@Command(name = "bench", description = "Load a gate and report throughput and latency percentiles.")
public final class BenchCommand implements Callable<Integer> {

  /** What the bench drives. */
  public enum Scenario {
    /** client -> gate -> echo.Echo -> back */
    c2s
  }

  @Option(names = "--scenario", defaultValue = "c2s", description = "One of: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Scenario scenario;

  @Option(names = "--gate", defaultValue = "127.0.0.1:7001", converter = GateAddress.Converter.class,
      description = "The gate, host:port (default: ${DEFAULT-VALUE}).")
  GateAddress gate;

  @Option(names = "--token", description = "Token for an external gate.")
  String token;

  @Option(names = "--namespace", defaultValue = "demo", description = "Namespace of the echo service (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--connections", defaultValue = "8", description = "Connections (default: ${DEFAULT-VALUE}).")
  int connections;

  @Option(names = "--inflight", defaultValue = "1", description = "Calls outstanding per connection (default: ${DEFAULT-VALUE}).")
  int inflight;

  @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class,
      description = "Measured time (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--warmup", defaultValue = "5s", converter = DurationConverter.class,
      description = "Unmeasured time first, for the JIT (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(names = "--payload", defaultValue = "100", description = "Bytes of payload in each call's args (default: ${DEFAULT-VALUE}).")
  int payload;

  @Option(names = "--timeout", defaultValue = "10000", description = "Budget of each call in ms (default: ${DEFAULT-VALUE}).")
  long timeoutMs;

  @Option(names = "--threads", defaultValue = "1", description = "Event loops of the load generator (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--json", description = "Also write the result as JSON to this file.")
  Path json;

  @Override
  public Integer call() throws Exception {
    if (connections < 1 || inflight < 1 || payload < 0 || threads < 1 || duration.isNegative() || duration.isZero()) {
      System.err.println("weft bench: --connections, --inflight and --threads must be >= 1, --payload >= 0, --duration > 0");
      return 2;
    }
    BenchPlan plan = new BenchPlan(scenario.name(), gate.host(), gate.port(), token, namespace, connections, inflight,
        duration, warmup, payload, timeoutMs, threads);
    JsonObject result = new ClosedLoopBench(plan, System.out).run();
    if (json != null) {
      Files.writeString(json, result.encodePrettily());
    }
    return result.getLong("calls", 0L) > 0 ? 0 : 1;
  }
}
