package io.weft.benchmarks;

import io.weft.core.lb.Endpoint;
import io.weft.core.lb.LoadBalancer;
import io.weft.core.lb.LoadBalancerType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The routing decision per call: each strategy choosing among {@code instances}. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow"})
public class BalancerBenchmark {

  record Node(String id, int weight, int activeCalls, double latencyEwmaNanos) implements Endpoint {
  }

  @Param({"p2c", "round-robin", "weighted-round-robin", "consistent-hash", "least-active"})
  public String strategy;

  @Param({"2", "16"})
  public int instances;

  private LoadBalancer balancer;
  private final List<Node> nodes = new ArrayList<>();
  private long key;

  @Setup
  public void setUp() {
    balancer = LoadBalancerType.fromConfig(strategy).create();
    for (int i = 0; i < instances; i++) {
      nodes.add(new Node("10.0.0." + i + ":9000", 1 + i % 3, i % 4, 100_000 + i * 1000));
    }
  }

  @Benchmark
  public Endpoint select() {
    return balancer.select(nodes, strategy.equals("consistent-hash") ? "player-" + (key++ & 1023) : null);
  }
}
