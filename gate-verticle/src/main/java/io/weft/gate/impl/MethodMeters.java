package io.weft.gate.impl;

import io.micrometer.core.instrument.Timer;
import io.weft.core.metrics.CodeCounters;
import io.weft.core.metrics.MeterGroup;
import io.weft.core.metrics.MeterNames;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one method of one service at one gate, shared by the gate's instances: calls
 * answered by code, and their latency from the gate's receipt to its answer.
 */
final class MethodMeters {

  private final Timer duration;
  private final CodeCounters calls;

  MethodMeters(MeterGroup group, String service, String method) {
    this.duration = group.timer(MeterNames.GATE_CALL_DURATION,
        "Latency of calls through the gate, from receipt to answer", "service", service, "method", method);
    this.calls = group.codeCounters(MeterNames.GATE_CALLS, "Calls the gate answered, by status code",
        "service", service, "method", method);
  }

  void record(int code, long latencyNanos) {
    duration.record(latencyNanos, TimeUnit.NANOSECONDS);
    calls.increment(code);
  }

  /** A call answered before it had a latency worth recording (refused on arrival). */
  void count(int code) {
    calls.increment(code);
  }
}
