package io.weft.gate.impl;

import io.weft.core.metrics.MeterGroup;
import io.weft.core.metrics.MeterNames;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters of one service at one gate, shared by the gate's instances: one {@link MethodMeters}
 * per method an instance of the service reported, and one for every other name a caller sent
 * ({@link MeterNames#UNKNOWN}), so that callers cannot make the gate create meters.
 */
final class ServiceMeters {

  /** Past this many methods, further ones count as unknown (a service reporting wildly). */
  static final int MAX_METHODS = 1_000;

  private final MeterGroup group;
  private final String service;
  private final Map<String, MethodMeters> methods = new ConcurrentHashMap<>();
  final MethodMeters unknownMethod;

  ServiceMeters(MeterGroup group, String service) {
    this.group = group;
    this.service = service;
    this.unknownMethod = new MethodMeters(group, service, MeterNames.UNKNOWN);
  }

  /** The meters of a method an instance reported (off the call path: when the report comes). */
  MethodMeters method(String name) {
    MethodMeters meters = methods.get(name);
    if (meters != null) {
      return meters;
    }
    if (methods.size() >= MAX_METHODS) {
      return unknownMethod;
    }
    return methods.computeIfAbsent(name, n -> new MethodMeters(group, service, n));
  }
}
