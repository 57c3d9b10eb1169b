package io.weft.gate;

import io.vertx.core.json.JsonObject;

/**
 * Outlier ejection, on top of each instance's breaker: every {@code intervalMs}, an instance of a
 * service with at least {@code minHosts} routable instances, whose success rate over the interval
 * (at least {@code minCalls} calls) is below the service's mean by more than {@code stdevFactor}
 * standard deviations, is taken out of rotation for {@code ejectMs}; never more than
 * {@code maxEjectionPercent} of a service's instances at once (Envoy's success-rate detection).
 */
public record OutlierOptions(boolean enabled, long intervalMs, int minHosts, int minCalls, double stdevFactor,
                             int maxEjectionPercent, long ejectMs) {

  public static final OutlierOptions DEFAULT = new OutlierOptions(true, 10_000, 3, 20, 1.9, 50, 30_000);

  public OutlierOptions {
    if (intervalMs < 10) {
      throw new IllegalArgumentException("outliers.intervalMs must be >= 10, but was " + intervalMs);
    }
    if (minHosts < 2) {
      throw new IllegalArgumentException("outliers.minHosts must be >= 2, but was " + minHosts);
    }
    if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
      throw new IllegalArgumentException("outliers.maxEjectionPercent must be 0..100, but was " + maxEjectionPercent);
    }
    if (ejectMs < 1 || minCalls < 1 || stdevFactor <= 0) {
      throw new IllegalArgumentException("outliers.ejectMs, minCalls and stdevFactor must be > 0");
    }
  }

  public static OutlierOptions fromJson(JsonObject json) {
    if (json == null) {
      return DEFAULT;
    }
    OutlierOptions d = DEFAULT;
    return new OutlierOptions(json.getBoolean("enabled", d.enabled), json.getLong("intervalMs", d.intervalMs),
        json.getInteger("minHosts", d.minHosts), json.getInteger("minCalls", d.minCalls),
        json.getDouble("stdevFactor", d.stdevFactor), json.getInteger("maxEjectionPercent", d.maxEjectionPercent),
        json.getLong("ejectMs", d.ejectMs));
  }

  public JsonObject toJson() {
    return new JsonObject().put("enabled", enabled).put("intervalMs", intervalMs).put("minHosts", minHosts)
        .put("minCalls", minCalls).put("stdevFactor", stdevFactor).put("maxEjectionPercent", maxEjectionPercent)
        .put("ejectMs", ejectMs);
  }
}
