package io.weft.gate.impl;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one gate instance records of the calls to one service (a {@link ServicePool}'s share of
 * the metrics): a {@link MethodStats} per reported method, looked up by the name the call
 * carries, and one for names no instance reported.
 */
final class ServiceStats {

  private final ServiceMeters meters;
  private final int topSources;
  private final Map<String, MethodStats> methods = new HashMap<>();
  private final MethodStats unknownMethod;

  ServiceStats(ServiceMeters meters, int topSources) {
    this.meters = meters;
    this.topSources = topSources;
    this.unknownMethod = new MethodStats(meters.unknownMethod, topSources);
  }

  /** The stats a call to {@code method} is recorded in: one lookup, no allocation. */
  MethodStats method(String method) {
    MethodStats stats = method == null ? null : methods.get(method);
    return stats == null ? unknownMethod : stats;
  }

  /** Methods an instance reported: from now on, calls to them have their own meters. */
  void reported(Collection<String> names) {
    for (String name : names) {
      if (!methods.containsKey(name)) {
        MethodMeters shared = meters.method(name);
        if (shared != meters.unknownMethod) {
          methods.put(name, new MethodStats(shared, topSources));
        }
      }
    }
  }

  /** The busiest sources of each method (the unknown ones under {@code (unknown)}), for status and gauges. */
  Map<String, List<MethodStats.SourceCount>> topSources() {
    Map<String, List<MethodStats.SourceCount>> top = new LinkedHashMap<>();
    if (topSources == 0) {
      return top;
    }
    methods.forEach((name, stats) -> top.put(name, stats.topSources(topSources)));
    List<MethodStats.SourceCount> unknown = unknownMethod.topSources(topSources);
    if (!unknown.isEmpty()) {
      top.put(io.weft.core.metrics.MeterNames.UNKNOWN, unknown);
    }
    return top;
  }

  /** The methods with meters of their own. */
  Collection<String> methodNames() {
    return methods.keySet();
  }
}
