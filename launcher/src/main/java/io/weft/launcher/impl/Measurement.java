package io.weft.launcher.impl;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The timing side of a bench: a warm-up, then a measured period, with progress each second,
 * latencies in HdrHistogram (recorded from any thread) and errors by code.
 */
final class Measurement {

  static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.MINUTES.toNanos(2);

  private final PrintStream out;
  private final String unit;
  private final Recorder recorder = new Recorder(HIGHEST_TRACKABLE_NANOS, 3);
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private volatile boolean measuring;

  /** @param unit what is counted, for the progress lines ({@code calls}, {@code pushes}) */
  Measurement(PrintStream out, String unit) {
    this.out = out;
    this.unit = unit;
  }

  /** One completed operation, {@code latencyNanos} long; ignored outside the measured period. */
  void record(long latencyNanos) {
    if (measuring) {
      recorder.recordValue(Math.max(0, Math.min(HIGHEST_TRACKABLE_NANOS, latencyNanos)));
    }
  }

  /** One failed operation. */
  void error(String code) {
    if (measuring) {
      errors.computeIfAbsent(code, k -> new LongAdder()).increment();
    }
  }

  /**
   * Runs the warm-up and the measured period on the calling thread (the load runs elsewhere),
   * and returns the figures of the measured period.
   */
  JsonObject run(Duration warmup, Duration duration) throws InterruptedException {
    return run(warmup, duration, () -> { });
  }

  /** As {@link #run(Duration, Duration)}, calling {@code onMeasuring} as the measured period begins. */
  JsonObject run(Duration warmup, Duration duration, Runnable onMeasuring) throws InterruptedException {
    long warmupEnd = System.nanoTime() + warmup.toNanos();
    long end = warmupEnd + duration.toNanos();
    Histogram interval = null;
    int second = 0;
    while (System.nanoTime() < warmupEnd) {
      sleepUntil(warmupEnd);
      interval = recorder.getIntervalHistogram(interval);
      progress("warm-up", ++second, interval);
    }
    recorder.reset();
    errors.clear();
    onMeasuring.run();
    this.measuring = true;
    Instant startedAt = Instant.now();
    long measureStart = System.nanoTime();
    Histogram total = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
    second = 0;
    while (System.nanoTime() < end) {
      sleepUntil(end);
      interval = recorder.getIntervalHistogram(interval);
      total.add(interval);
      progress("measure", ++second, interval);
    }
    this.measuring = false;
    long measuredNanos = System.nanoTime() - measureStart;
    total.add(recorder.getIntervalHistogram());
    return report(total, measuredNanos, startedAt);
  }

  private static void sleepUntil(long deadlineNanos) throws InterruptedException {
    // The load runs on event loops; this thread only wakes once a second to print.
    Thread.sleep(Math.min(1000, Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000)));
  }

  private long errorCount() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  private void progress(String phase, int second, Histogram h) {
    out.printf("  %-7s %3ds %,10d %s/s  p50 %7.3f ms  p99 %7.3f ms  errors %d%n", phase, second, h.getTotalCount(), unit,
        ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), errorCount());
  }

  private JsonObject report(Histogram total, long measuredNanos, Instant startedAt) {
    double seconds = measuredNanos / 1e9;
    double throughput = total.getTotalCount() / seconds;
    Map<String, Long> errorCounts = new TreeMap<>();
    errors.forEach((k, v) -> errorCounts.put(k, v.sum()));
    out.printf("result: %,.0f %s/s  p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms  (%,d %s in %.1fs, errors %s)%n",
        throughput, unit, ms(total.getValueAtPercentile(50)), ms(total.getValueAtPercentile(99)),
        ms(total.getValueAtPercentile(99.9)), ms(total.getMaxValue()), total.getTotalCount(), unit, seconds, errorCounts);
    JsonObject latency = new JsonObject()
        .put("p50", us(total.getValueAtPercentile(50)))
        .put("p90", us(total.getValueAtPercentile(90)))
        .put("p99", us(total.getValueAtPercentile(99)))
        .put("p999", us(total.getValueAtPercentile(99.9)))
        .put("max", us(total.getMaxValue()))
        .put("mean", total.getMean() / 1000.0);
    JsonObject errorsJson = new JsonObject();
    errorCounts.forEach(errorsJson::put);
    return new JsonObject()
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
