package io.weft.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one role (a gate, a service instance), all carrying the role's tags, registered
 * once and removed together when the role stops. Meters are resolved here, when the role or one
 * of its services or methods appears, never on the path of a call: the hot path holds the meter.
 * <p>
 * Thread-safe: instances of one gate share a group.
 */
public final class MeterGroup implements AutoCloseable {

  /**
   * Bucket bounds of every latency histogram: from 10 µs (a service's own handling of a trivial
   * call) to 30 s (beyond any sensible call budget), so that p99 can be read from the buckets.
   */
  public static final List<Duration> LATENCY_BUCKETS = List.of(
      Duration.ofNanos(10_000), Duration.ofNanos(25_000), Duration.ofNanos(50_000), Duration.ofNanos(100_000),
      Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000),
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30));

  private final MeterRegistry registry;
  private final Tags tags;
  private final List<Meter> meters = new CopyOnWriteArrayList<>();
  private final List<MultiGauge> multiGauges = new CopyOnWriteArrayList<>();

  public MeterGroup(MeterRegistry registry, Tags tags) {
    this.registry = registry;
    this.tags = tags;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The tags every meter of the group carries. */
  public Tags tags() {
    return tags;
  }

  public Counter counter(String name, String description, String... tagKeyValues) {
    return track(Counter.builder(name).description(description).tags(tags).tags(tagKeyValues).register(registry));
  }

  /** A latency histogram with {@link #LATENCY_BUCKETS}. */
  public Timer timer(String name, String description, String... tagKeyValues) {
    return track(Timer.builder(name).description(description).tags(tags).tags(tagKeyValues)
        .serviceLevelObjectives(LATENCY_BUCKETS.toArray(Duration[]::new))
        .register(registry));
  }

  /** A counter read from {@code state} (plain counts a component keeps anyway: no cost per event). */
  public <T> FunctionCounter functionCounter(String name, String description, T state, ToDoubleFunction<T> count,
                                             String... tagKeyValues) {
    return track(FunctionCounter.builder(name, state, count).description(description).tags(tags).tags(tagKeyValues)
        .register(registry));
  }

  public <T> Gauge gauge(String name, String description, T state, ToDoubleFunction<T> value, String... tagKeyValues) {
    return track(Gauge.builder(name, state, value).description(description).tags(tags).tags(tagKeyValues)
        .strongReference(true).register(registry));
  }

  /** Gauges whose rows (tag values) change: set them with {@code register(rows, true)}. */
  public MultiGauge multiGauge(String name, String description) {
    MultiGauge gauge = MultiGauge.builder(name).description(description).tags(tags).register(registry);
    multiGauges.add(gauge);
    return gauge;
  }

  /** One counter per status code, each registered the first time its code occurs. */
  public CodeCounters codeCounters(String name, String description, String... tagKeyValues) {
    return new CodeCounters(this, name, description, tagKeyValues);
  }

  <M extends Meter> M track(M meter) {
    meters.add(meter);
    return meter;
  }

  /** Removes every meter of the group from the registry. */
  @Override
  public void close() {
    for (MultiGauge gauge : multiGauges) {
      gauge.register(List.of(), true);
    }
    multiGauges.clear();
    for (Meter meter : meters) {
      registry.remove(meter);
    }
    meters.clear();
  }
}
