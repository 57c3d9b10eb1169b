package io.weft.push.impl;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.weft.core.metrics.MeshMetrics;
import io.weft.core.metrics.MeterGroup;
import io.weft.core.metrics.MeterNames;

/**
 * The push service's counters (tag {@code service}): pushes asked for, by mode and by whether a
 * gate took them for the client, failed (the store or a gate failed), or found the client
 * offline; safe pushes acknowledged; safe pushes sent again when their client logged in.
 */
public final class PushMeters implements AutoCloseable {

  private final MeterGroup group;
  private final Counter[] pushes = new Counter[6];
  private final Counter acks;
  private final Counter restored;

  public PushMeters(MeshMetrics metrics, String service) {
    this.group = new MeterGroup(metrics.registry(), Tags.of("service", service));
    String[] outcomes = {"delivered", "offline", "failed"};
    for (int safe = 0; safe < 2; safe++) {
      for (int o = 0; o < outcomes.length; o++) {
        pushes[safe * 3 + o] = group.counter(MeterNames.PUSH_PUSHES, "Pushes asked for, by mode and outcome",
            "mode", safe == 1 ? "safe" : "unsafe", "outcome", outcomes[o]);
      }
    }
    acks = group.counter(MeterNames.PUSH_ACKS, "Safe pushes their client acknowledged");
    restored = group.counter(MeterNames.PUSH_RESTORED, "Safe pushes sent again after their client logged in");
  }

  /** {@code count} pushes of one mode with one outcome. */
  public void pushed(boolean safe, boolean delivered, boolean failed, int count) {
    if (count > 0) {
      pushes[(safe ? 3 : 0) + (failed ? 2 : delivered ? 0 : 1)].increment(count);
    }
  }

  public void acknowledged() {
    acks.increment();
  }

  public void restored(int count) {
    restored.increment(count);
  }

  @Override
  public void close() {
    group.close();
  }
}
