package io.weft.gate.impl;

import io.weft.core.lb.LoadBalancer;
import java.util.ArrayList;
import java.util.List;

/** The routable links to the instances of one service, and the balancer choosing among them. */
public final class ServicePool {

  private final String serviceKey;
  private final LoadBalancer balancer;
  private final List<ServiceLink> ready = new ArrayList<>();

  ServicePool(String serviceKey, LoadBalancer balancer) {
    this.serviceKey = serviceKey;
    this.balancer = balancer;
  }

  String serviceKey() {
    return serviceKey;
  }

  /** Re-checks whether {@code link} is routable, after any change of its state. */
  void update(ServiceLink link) {
    boolean listed = ready.contains(link);
    if (link.isReady() && !listed) {
      ready.add(link);
    } else if (!link.isReady() && listed) {
      ready.remove(link);
    }
  }

  /** A routable instance, or {@code null} when there is none. */
  ServiceLink select(String hashKey) {
    return ready.isEmpty() ? null : balancer.select(ready, hashKey);
  }

  List<ServiceLink> ready() {
    return ready;
  }
}
