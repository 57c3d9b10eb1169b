package io.weft.core.metrics;

import io.micrometer.core.instrument.Meter;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What the mesh's counters and latency histograms did over the last window (a few seconds):
 * rates per second and latency percentiles, queried by meter name and tags. Immutable; a new one
 * is made at each sample.
 * <pre>{@code
 * double qps = window.perSecond(MeterNames.GATE_CALLS, id -> "demo/echo".equals(id.getTag("service")));
 * double p99 = window.percentileMs(MeterNames.GATE_CALL_DURATION, id -> true, 0.99);
 * }</pre>
 */
public final class RateWindow {

  /** Before the first sample: nothing moved. */
  public static final RateWindow EMPTY = new RateWindow(0, Map.of());

  /**
   * One meter over the window.
   *
   * @param total its count at the end of the window
   * @param perSecond its count's rate over the window
   * @param boundsNanos a histogram's bucket bounds (empty for a counter)
   * @param bucketCounts the calls that fell in each bucket during the window, one more than the
   *     bounds (the last counts those past the last bound)
   */
  record Series(Meter.Id id, double total, double perSecond, long[] boundsNanos, long[] bucketCounts) {
  }

  private final long spanMs;
  private final Map<String, List<Series>> byName;

  RateWindow(long spanMs, Map<String, List<Series>> byName) {
    this.spanMs = spanMs;
    this.byName = byName;
  }

  /** How long the window actually spans (shorter than configured just after a start). */
  public long spanMs() {
    return spanMs;
  }

  /** The summed rate, per second, of the counters or histograms named {@code name} whose id matches. */
  public double perSecond(String name, Predicate<Meter.Id> filter) {
    double sum = 0;
    for (Series s : byName.getOrDefault(name, List.of())) {
      if (filter.test(s.id())) {
        sum += s.perSecond();
      }
    }
    return sum;
  }

  /**
   * The rates per second of the matching meters named {@code name}, summed by the value of their
   * tag {@code tagKey} (for example calls per status code), for the values that moved.
   */
  public Map<String, Double> perSecondBy(String name, Predicate<Meter.Id> filter, String tagKey) {
    Map<String, Double> sums = new TreeMap<>();
    for (Series s : byName.getOrDefault(name, List.of())) {
      String value = s.id().getTag(tagKey);
      if (value != null && s.perSecond() > 0 && filter.test(s.id())) {
        sums.merge(value, s.perSecond(), Double::sum);
      }
    }
    return sums;
  }

  /** The summed counts at the end of the window of the meters named {@code name} whose id matches. */
  public double total(String name, Predicate<Meter.Id> filter) {
    double sum = 0;
    for (Series s : byName.getOrDefault(name, List.of())) {
      if (filter.test(s.id())) {
        sum += s.total();
      }
    }
    return sum;
  }

  /**
   * The {@code quantile} (0.99: p99) of the latencies recorded during the window by the matching
   * histograms together, in milliseconds, interpolated within its bucket; {@code NaN} when none
   * was recorded. Past the last bucket it is the last bound.
   */
  public double percentileMs(String name, Predicate<Meter.Id> filter, double quantile) {
    long[] bounds = null;
    long[] merged = null;
    for (Series s : byName.getOrDefault(name, List.of())) {
      if (!filter.test(s.id()) || s.bucketCounts().length == 0) {
        continue;
      }
      if (merged == null) {
        bounds = s.boundsNanos();
        merged = new long[s.bucketCounts().length];
      }
      if (s.bucketCounts().length != merged.length) {
        continue;
      }
      for (int i = 0; i < merged.length; i++) {
        merged[i] += s.bucketCounts()[i];
      }
    }
    return merged == null ? Double.NaN : percentileMs(bounds, merged, quantile);
  }

  /**
   * The calls the filter picks, as status shows them: {@code callsPerSec}, {@code errorsPerSec}
   * and {@code errorsByCode} from the counter {@code callsName} (tag {@code code}), {@code calls}
   * in all, and {@code p50Ms} and {@code p99Ms} from the histogram {@code durationName} (absent
   * when no call was timed in the window).
   */
  public JsonObject calls(String callsName, String durationName, Predicate<Meter.Id> filter) {
    JsonObject errors = new JsonObject();
    double errorsPerSec = 0;
    for (Map.Entry<String, Double> e : perSecondBy(callsName,
        filter.and(id -> !"OK".equals(id.getTag("code"))), "code").entrySet()) {
      errors.put(e.getKey(), e.getValue());
      errorsPerSec += e.getValue();
    }
    JsonObject json = new JsonObject()
        .put("callsPerSec", perSecond(callsName, filter))
        .put("errorsPerSec", errorsPerSec)
        .put("errorsByCode", errors)
        .put("calls", (long) total(callsName, filter));
    double p50 = percentileMs(durationName, filter, 0.5);
    double p99 = percentileMs(durationName, filter, 0.99);
    if (!Double.isNaN(p99)) {
      json.put("p50Ms", p50).put("p99Ms", p99);
    }
    return json;
  }

  static double percentileMs(long[] boundsNanos, long[] counts, double quantile) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total == 0) {
      return Double.NaN;
    }
    double rank = quantile * total;
    long below = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0 && below + counts[i] >= rank) {
        if (i == boundsNanos.length) {
          return boundsNanos[i - 1] / 1e6;
        }
        double lower = i == 0 ? 0 : boundsNanos[i - 1];
        double upper = boundsNanos[i];
        double within = Math.max(0, rank - below) / counts[i];
        return (lower + (upper - lower) * within) / 1e6;
      }
      below += counts[i];
    }
    return boundsNanos.length == 0 ? Double.NaN : boundsNanos[boundsNanos.length - 1] / 1e6;
  }

  /** The flow velocity over the window: the seed's three rates, and pushes and events. */
  public Velocity velocity() {
    Predicate<Meter.Id> all = id -> true;
    return new Velocity(perSecond(MeterNames.GATE_CLIENT_REQUESTS, all), perSecond(MeterNames.GATE_ROUTES, all),
        perSecond(MeterNames.SERVICE_CALLS, all), perSecond(MeterNames.PUSH_PUSHES, all),
        perSecond(MeterNames.EVENTS_PUBLISHED, id -> "ok".equals(id.getTag("outcome"))));
  }

  /**
   * Rates per second through a process: calls clients sent its gates, calls its gates routed to
   * services (from clients and from services), calls its service instances handled, pushes its
   * push service was asked for, events its services published.
   */
  public record Velocity(double clientRequests, double gateRoutes, double serviceCalls, double pushes,
                         double eventsPublished) {

    public boolean isIdle() {
      return clientRequests == 0 && gateRoutes == 0 && serviceCalls == 0 && pushes == 0 && eventsPublished == 0;
    }
  }
}
