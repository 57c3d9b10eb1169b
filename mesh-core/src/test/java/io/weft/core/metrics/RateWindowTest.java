package io.weft.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Rates and percentiles from the samples of a real Prometheus registry. */
class RateWindowTest {

  private final MockClock clock = new MockClock();

  private static final Predicate<Meter.Id> ALL = id -> true;

  @Test
  void ratesAndPercentilesCoverWhatHappenedBetweenSamplesOnly() throws Exception {
    MeterGroup group = new MeterGroup(MeshMetrics.newRegistry(clock), Tags.of("gate", "g1"));
    CodeCounters calls = group.codeCounters(MeterNames.GATE_CALLS, "calls", "service", "demo/echo", "method", "Echo");
    Timer duration = group.timer(MeterNames.GATE_CALL_DURATION, "latency", "service", "demo/echo", "method", "Echo");
    // Before the window: slow calls that must not show in its percentiles.
    for (int i = 0; i < 100; i++) {
      duration.record(20, TimeUnit.SECONDS);
      calls.increment(0);
    }
    RateSampler sampler = new RateSampler(group.registry(), 60_000);
    assertThat(sampler.latest()).isSameAs(RateWindow.EMPTY);
    sampler.sample();
    for (int i = 0; i < 99; i++) {
      duration.record(3, TimeUnit.MILLISECONDS);
      calls.increment(0);
    }
    duration.record(400, TimeUnit.MILLISECONDS);
    calls.increment(14);
    clock.add(20, TimeUnit.MILLISECONDS); // a window needs a span to have a rate
    RateWindow w = sampler.sample();

    assertThat(w.spanMs()).isEqualTo(20);
    double perSecond = w.perSecond(MeterNames.GATE_CALLS, ALL);
    assertThat(perSecond).isCloseTo(100 * 1000.0 / w.spanMs(), within(perSecond * 0.2));
    assertThat(w.total(MeterNames.GATE_CALLS, ALL)).isEqualTo(200);
    // 3 ms falls in the (2.5 ms, 5 ms] bucket; the one 400 ms call is the 100th of 100.
    assertThat(w.percentileMs(MeterNames.GATE_CALL_DURATION, ALL, 0.5)).isBetween(2.5, 5.0);
    assertThat(w.percentileMs(MeterNames.GATE_CALL_DURATION, ALL, 0.99)).isBetween(2.5, 5.0);
    assertThat(w.percentileMs(MeterNames.GATE_CALL_DURATION, ALL, 1.0)).isBetween(250.0, 500.0);

    JsonObject status = w.calls(MeterNames.GATE_CALLS, MeterNames.GATE_CALL_DURATION,
        id -> "Echo".equals(id.getTag("method")));
    assertThat(status.getLong("calls")).isEqualTo(200);
    assertThat(status.getJsonObject("errorsByCode").fieldNames()).containsExactly("UNAVAILABLE");
    assertThat(status.getDouble("errorsPerSec")).isPositive().isLessThan(perSecond);
    assertThat(status.getDouble("p99Ms")).isBetween(2.5, 5.0);
    assertThat(w.calls(MeterNames.GATE_CALLS, MeterNames.GATE_CALL_DURATION, id -> false).containsKey("p99Ms"))
        .isFalse();
  }

  @Test
  void aNewSampleWithNothingNewShowsNoRateAndNoPercentile() throws Exception {
    MeterGroup group = new MeterGroup(MeshMetrics.newRegistry(clock), Tags.empty());
    Counter routes = group.counter(MeterNames.GATE_ROUTES, "routes");
    Timer duration = group.timer(MeterNames.SERVICE_CALL_DURATION, "latency");
    routes.increment(5);
    duration.record(1, TimeUnit.MILLISECONDS);
    RateSampler sampler = new RateSampler(group.registry(), 10);
    sampler.sample();
    clock.add(20, TimeUnit.MILLISECONDS); // past the 10 ms window: the next one starts after the increments
    sampler.sample();
    RateWindow w = sampler.sample();
    assertThat(w.perSecond(MeterNames.GATE_ROUTES, ALL)).isZero();
    assertThat(w.total(MeterNames.GATE_ROUTES, ALL)).isEqualTo(5);
    assertThat(w.percentileMs(MeterNames.SERVICE_CALL_DURATION, ALL, 0.99)).isNaN();
    assertThat(w.velocity().isIdle()).isTrue();
  }

  @Test
  void removedMetersLeaveTheWindow() {
    MeterGroup group = new MeterGroup(MeshMetrics.newRegistry(clock), Tags.empty());
    group.counter(MeterNames.GATE_ROUTES, "routes").increment();
    RateSampler sampler = new RateSampler(group.registry(), 1_000);
    assertThat(sampler.sample().total(MeterNames.GATE_ROUTES, ALL)).isEqualTo(1);
    group.close();
    assertThat(group.registry().getMeters()).isEmpty();
    assertThat(sampler.sample().total(MeterNames.GATE_ROUTES, ALL)).isZero();
  }

  @Test
  void velocityLineReadsLikeTheSeeds() {
    assertThat(MeshMetrics.velocityLine(new RateWindow.Velocity(1234.4, 2.25, 0, 0.5, 10)))
        .isEqualTo("Velocity: 1234 client requests/s, 2.3 gate routes/s, 0 service calls/s, 0.5 pushes/s, 10 events/s");
  }
}
