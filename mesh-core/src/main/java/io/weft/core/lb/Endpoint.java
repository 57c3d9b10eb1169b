package io.weft.core.lb;

import java.util.Map;

/** What a {@link LoadBalancer} may know of one instance it chooses among. */
public interface Endpoint {

  /**
   * The instance id (its advertised {@code host:port}), unique among a service's instances and
   * fixed for the life of this object: stateful balancers key their state by it.
   */
  String id();

  /** Relative share of traffic for weighted strategies; at least 1. */
  default int weight() {
    return 1;
  }

  /** The instance's registered tags. */
  default Map<String, String> tags() {
    return Map.of();
  }

  /** Calls sent to the instance and not yet answered. */
  default int activeCalls() {
    return 0;
  }

  /**
   * A moving average of the instance's recent reply latency in nanoseconds, 0 when nothing has
   * been measured yet (a new instance looks fast and gets tried).
   */
  default double latencyEwmaNanos() {
    return 0;
  }
}
