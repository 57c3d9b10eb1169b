package io.weft.benchmarks;

import io.vertx.core.Vertx;
import io.weft.core.callback.CallbackTable;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One call's life in the gate's table of calls in flight: added with its deadline, then completed,
 * with {@code inFlight} other calls in the table.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--sun-misc-unsafe-memory-access=allow"})
public class CallbackTableBenchmark {

  static final class Call extends CallbackTable.Entry {
  }

  @Param({"1", "512", "65536"})
  public int inFlight;

  private Vertx vertx;
  private CallbackTable<Call> table;

  @Setup
  public void setUp() {
    vertx = Vertx.vertx();
    // The periodic sweep is a Vert.x timer; it runs on its event loop, but the table is only
    // touched here between sweeps often enough for a micro-benchmark's purpose.
    table = new CallbackTable<>(vertx, 10, c -> { });
    for (int i = 0; i < inFlight; i++) {
      table.add(new Call(), 600_000);
    }
  }

  @TearDown
  public void tearDown() {
    vertx.close();
  }

  @Benchmark
  public Call addAndComplete() {
    return table.complete(table.add(new Call(), 10_000));
  }
}
