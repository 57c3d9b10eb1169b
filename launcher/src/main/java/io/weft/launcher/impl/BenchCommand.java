package io.weft.launcher.impl;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weft bench}: a load generator in its own process. Closed loop: each connection keeps
 * {@code --inflight} calls outstanding; latencies go to HdrHistogram; progress is printed each
 * second, then throughput and percentiles of the measured period (after the warm-up). The
 * {@link Scenario} names the path measured: {@code c2s} a client calling a service, {@code s2s} a
 * client calling a service that calls another through the gate.
 */
@Command(name = "bench", description = "Load a gate and report throughput and latency percentiles.")
public final class BenchCommand implements Callable<Integer> {

  /** What the bench drives: which service it calls, which method by default, and with what args. */
  public enum Scenario {
    /** client -> weft echo-server -> back: the same frames with nothing behind the socket. */
    echo("echo", "Echo", List.of("Echo")) {
      @Override
      Object args(int payloadBytes) {
        return Map.of("Data", new byte[payloadBytes]);
      }
    },
    /** client -> gate -> echo.Echo -> back. Args {@code {Data: bin}}. */
    c2s("echo", "Echo", List.of("Echo")) {
      @Override
      Object args(int payloadBytes) {
        return Map.of("Data", new byte[payloadBytes]);
      }
    },
    /**
     * client -> gate -> relay -> gate -> echo.Echo and back: a service calling another (s2s).
     * {@code RelayAsync} composes futures on the event loop; {@code Relay} waits for echo on a
     * virtual thread (call it on {@code --service relay-vt}, which {@code conf/bench.json} runs so).
     * Args {@code {Text: str}}.
     */
    s2s("relay", "RelayAsync", List.of("RelayAsync", "Relay")) {
      @Override
      Object args(int payloadBytes) {
        return Map.of("Text", "x".repeat(payloadBytes));
      }
    },
    /** pusher -> gate -> push.Push -> (session lookup) -> gate -> logged-in client: unsafe pushes. */
    push("push", "Push", List.of("Push")) {
      @Override
      Object args(int payloadBytes) {
        return Map.of();
      }
    },
    /** Idle client connections held open: the gate's live heap per connection (--sut-pid: the gate). */
    idle("echo", "Echo", List.of("Echo")) {
      @Override
      Object args(int payloadBytes) {
        return Map.of();
      }
    },
    /** As {@link #push}, with safe pushes: stored first, acknowledged by the receivers. */
    safePush("push", "Push", List.of("Push")) {
      @Override
      Object args(int payloadBytes) {
        return Map.of();
      }

      @Override
      public String toString() {
        return "safe-push";
      }
    };

    final String service;
    final String defaultMethod;
    final List<String> methods;

    Scenario(String service, String defaultMethod, List<String> methods) {
      this.service = service;
      this.defaultMethod = defaultMethod;
      this.methods = methods;
    }

    /** The args of every call, carrying {@code payloadBytes} of payload. */
    abstract Object args(int payloadBytes);
  }

  @Option(names = "--scenario", defaultValue = "c2s", converter = ScenarioConverter.class,
      description = "echo, c2s, s2s, push, safe-push or idle (default: ${DEFAULT-VALUE}).")
  Scenario scenario;

  /** Scenarios by their names on the command line. */
  static final class ScenarioConverter implements picocli.CommandLine.ITypeConverter<Scenario> {
    @Override
    public Scenario convert(String value) {
      for (Scenario s : Scenario.values()) {
        if (s.toString().equals(value)) {
          return s;
        }
      }
      throw new picocli.CommandLine.TypeConversionException(
          "expected echo, c2s, s2s, push, safe-push or idle, but was '" + value + "'");
    }
  }

  @Option(names = "--rate", defaultValue = "0", description = "Open loop: calls per second in all, each sent on "
      + "schedule and timed from it (no coordinated omission); 0 (default): closed loop with --inflight.")
  double rate;

  @Option(names = "--sut-pid", description = "A process under test (repeatable): its CPU time per call is reported.")
  List<Long> sutPids = new java.util.ArrayList<>();

  @Option(names = "--token-config", description = "idle scenario: sign a fresh token per connection with the auth "
      + "section of this config's external gate.")
  Path tokenConfig;

  @Option(names = "--pushers", defaultValue = "2", description = "push scenarios: connections calling push.Push (default: ${DEFAULT-VALUE}); "
      + "--connections are then the receivers and --inflight is per pusher.")
  int pushers;

  @Option(names = "--clients-per-connection", defaultValue = "100",
      description = "push scenarios: client ids logged in on each receiver connection (default: ${DEFAULT-VALUE}).")
  int clientsPerConnection;

  @Option(names = "--push-namespace", defaultValue = "weft", description = "Namespace of the push service (default: ${DEFAULT-VALUE}).")
  String pushNamespace;

  @Option(names = "--method", description = "The method called: Echo for c2s; RelayAsync (default, futures on the "
      + "event loop) or Relay (sync, on a service run on virtual threads) for s2s.")
  String method;

  @Option(names = "--service", description = "The service called, in --namespace (default: the scenario's: echo, relay).")
  String service;

  @Option(names = "--gate", defaultValue = "127.0.0.1:7001", converter = GateAddress.Converter.class,
      description = "The gate, host:port (default: ${DEFAULT-VALUE}).")
  GateAddress gate;

  @Option(names = "--token", description = "Token for an external gate.")
  String token;

  @Option(names = "--namespace", defaultValue = "demo", description = "Namespace of the services called (default: ${DEFAULT-VALUE}).")
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

  @Option(names = "--label", description = "A name for this run in the JSON result (bench-report groups runs by it).")
  String label;

  @Option(names = "--json", description = "Also write the result as JSON to this file.")
  Path json;

  @Override
  public Integer call() throws Exception {
    if (connections < 1 || inflight < 1 || payload < 0 || threads < 1 || duration.isNegative() || duration.isZero()) {
      System.err.println("weft bench: --connections, --inflight and --threads must be >= 1, --payload >= 0, --duration > 0");
      return 2;
    }
    String called = method == null ? scenario.defaultMethod : method;
    if (!scenario.methods.contains(called)) {
      System.err.println("weft bench: --method of scenario " + scenario + " must be one of " + scenario.methods
          + ", but was " + called);
      return 2;
    }
    if (rate < 0 || (rate > 0 && (scenario == Scenario.push || scenario == Scenario.safePush))) {
      System.err.println("weft bench: --rate must be >= 0, and the push scenarios run closed loop only");
      return 2;
    }
    if (pushers < 1 || clientsPerConnection < 1) {
      System.err.println("weft bench: --pushers and --clients-per-connection must be >= 1");
      return 2;
    }
    BenchPlan plan = new BenchPlan(scenario, service == null ? scenario.service : service, called, gate.host(), gate.port(), token, namespace, connections, inflight,
        duration, warmup, payload, timeoutMs, threads, pushers, clientsPerConnection, pushNamespace, rate, sutPids);
    JsonObject result = switch (scenario) {
      case push -> new PushBench(plan, System.out, false).run();
      case safePush -> new PushBench(plan, System.out, true).run();
      case idle -> new IdleBench(plan, System.out, tokenConfig == null ? null : TokenCommand.signerOf(tokenConfig)).run();
      default -> new CallBench(plan, System.out).run();
    };
    if (label != null) {
      result.put("label", label);
    }
    if (json != null) {
      Files.writeString(json, result.encodePrettily());
    }
    return result.getLong("calls", 0L) > 0 ? 0 : 1;
  }
}
