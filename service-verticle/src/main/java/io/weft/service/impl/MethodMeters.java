package io.weft.service.impl;

import io.micrometer.core.instrument.Timer;
import io.weft.core.metrics.CodeCounters;
import io.weft.core.metrics.MeterGroup;
import io.weft.core.metrics.MeterNames;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one method of one service instance: calls by the code they were answered with,
 * and how long they took from the moment the host let them start to their outcome.
 */
public final class MethodMeters {

  private final Timer duration;
  private final CodeCounters calls;

  MethodMeters(MeterGroup group, String method) {
    this.duration = group.timer(MeterNames.SERVICE_CALL_DURATION,
        "Time calls took on the instance, from their start (past its concurrency limit) to their outcome",
        "method", method);
    this.calls = group.codeCounters(MeterNames.SERVICE_CALLS, "Calls the instance answered, by status code",
        "method", method);
  }

  /** A call ran and ended with {@code code}. */
  public void record(int code, long nanos) {
    duration.record(nanos, TimeUnit.NANOSECONDS);
    calls.increment(code);
  }

  /** A call answered without running (bad input, over the limit, out of time). */
  public void count(int code) {
    calls.increment(code);
  }
}
