package io.weft.gate.impl;

import io.weft.core.lb.LoadBalancer;
import io.weft.core.lb.LoadBalancerType;
import io.weft.core.lb.Tags;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;

/** The routable links to the instances of one service, and the balancer choosing among them. */
public final class ServicePool {

  private final String serviceKey;
  private final LoadBalancer balancer;
  private final LoadBalancer orderedBalancer = LoadBalancerType.CONSISTENT_HASH.create();
  private final List<ServiceLink> ready = new ArrayList<>();
  private final List<ServiceLink> tagged = new ArrayList<>();

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

  /** The routable instances carrying all {@code tags}; the ready list itself when there are none. */
  public List<ServiceLink> candidates(Map<String, String> tags) {
    return Tags.matching(ready, tags, tagged);
  }

  /** An instance for an unordered call, by the service's balancer. */
  ServiceLink select(List<ServiceLink> candidates, String hashKey) {
    return balancer.select(candidates, hashKey);
  }

  /** The instance a new order key is bound to: a consistent hash, so keys stay put as instances come and go. */
  ServiceLink selectOrdered(List<ServiceLink> candidates, String orderKey) {
    return orderedBalancer.select(candidates, orderKey);
  }

  List<ServiceLink> ready() {
    return ready;
  }
}
