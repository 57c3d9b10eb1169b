package io.weft.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.weft.core.Code;

/**
 * Calls counted by the status code they were answered with (tag {@code code}: {@code OK},
 * {@code DEADLINE_EXCEEDED}, ...). A code's counter is registered the first time it occurs and
 * kept in an array, so counting is an index and an increment; codes a peer made up count as
 * {@code UNKNOWN}, so the tag's values are bounded by {@link Code}.
 */
public final class CodeCounters {

  private final MeterGroup group;
  private final String name;
  private final String description;
  private final String[] tags;
  private final Counter[] byCode = new Counter[17];

  CodeCounters(MeterGroup group, String name, String description, String... tags) {
    this.group = group;
    this.name = name;
    this.description = description;
    this.tags = tags.clone();
  }

  public void increment(int code) {
    Code known = Code.of(code);
    Counter counter = byCode[known.value()];
    if (counter == null) {
      // Racing instances of one gate register the same meter: the registry hands both the one.
      counter = group.track(Counter.builder(name).description(description).tags(group.tags()).tags(tags)
          .tag("code", known.name()).register(group.registry()));
      byCode[known.value()] = counter;
    }
    counter.increment();
  }

  /** Calls answered with {@code code} so far. */
  public double count(Code code) {
    Counter counter = byCode[code.value()];
    return counter == null ? 0 : counter.count();
  }
}
