package io.weft.gate.impl;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.weft.core.lb.LoadBalancer;
import io.weft.core.lb.LoadBalancerType;
import io.weft.core.lb.Tags;
import io.weft.gate.OutlierOptions;
import io.weft.gate.ServicePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The routable links to the instances of one service, the balancer choosing among them, and
 * their health: each instance's circuit breaker, and outlier ejection across the instances.
 */
public final class ServicePool {

  private static final Logger log = LoggerFactory.getLogger(ServicePool.class);

  /** A failure recorded in a breaker carries no information beyond its kind. */
  private static final Throwable FAILURE = new Exception("call failed", null, false, false) {
  };

  private final Vertx vertx;
  private final String serviceKey;
  private final ServicePolicy policy;
  private final LoadBalancer balancer;
  private final LoadBalancer orderedBalancer = LoadBalancerType.CONSISTENT_HASH.create();
  private final List<ServiceLink> links = new ArrayList<>();
  private final List<ServiceLink> ready = new ArrayList<>();
  /** Routable but congested links: the fallback when every routable link is congested. */
  private final List<ServiceLink> congested = new ArrayList<>();
  private final List<ServiceLink> leastCongested = new ArrayList<>(1);
  private final List<ServiceLink> tagged = new ArrayList<>();
  /** This gate instance's share of the service's metrics; {@code null} until the gate's meters exist. */
  private ServiceStats stats;

  ServicePool(Vertx vertx, String serviceKey, ServicePolicy policy) {
    this.vertx = vertx;
    this.serviceKey = serviceKey;
    this.policy = policy;
    this.balancer = policy.loadBalancer().create();
  }

  String serviceKey() {
    return serviceKey;
  }

  ServicePolicy policy() {
    return policy;
  }

  ServiceStats stats() {
    return stats;
  }

  void stats(ServiceStats stats) {
    this.stats = stats;
  }

  /** Takes a new link into the pool and gives it its breaker. */
  void adopt(ServiceLink link) {
    if (link.breaker == null) {
      CircuitBreaker breaker = policy.breaker().newBreaker(serviceKey + "@" + link.id());
      breaker.getEventPublisher().onStateTransition(event -> transitioned(link, event.getStateTransition()));
      link.breaker = breaker;
      links.add(link);
    }
  }

  /** Forgets a link for good. */
  void drop(ServiceLink link) {
    links.remove(link);
    ready.remove(link);
    congested.remove(link);
    cancel(link.breakerTimer);
    cancel(link.ejectTimer);
  }

  /** Re-checks whether {@code link} is routable, after any change of its state. */
  void update(ServiceLink link) {
    list(ready, link, link.isReady());
    list(congested, link, link.congested && link.isRoutable());
  }

  private static void list(List<ServiceLink> list, ServiceLink link, boolean belongs) {
    boolean listed = list.contains(link);
    if (belongs && !listed) {
      list.add(link);
    } else if (!belongs && listed) {
      list.remove(link);
    }
  }

  /**
   * Whether {@code method} may be called through an external gate, by what the connected instances
   * reported: {@code FALSE} when any of them reports it not {@code Public} or none reports it at
   * all, {@code TRUE} when those that report it all say {@code Public}, {@code null} when no
   * instance is connected and reported (the call will be answered 14). So during a rolling deploy
   * that makes a method private, it is refused as soon as one instance says so.
   */
  Boolean isPublic(String method) {
    boolean anyReported = false;
    boolean anyPublic = false;
    for (int i = 0; i < links.size(); i++) {
      ServiceLink link = links.get(i);
      if (link.state != ServiceLink.State.READY) {
        continue;
      }
      anyReported = true;
      io.weft.core.protocol.Envelope.MethodAccess access = link.method(method);
      if (access != null) {
        if (!access.isPublic()) {
          return Boolean.FALSE;
        }
        anyPublic = true;
      }
    }
    return anyReported ? Boolean.valueOf(anyPublic) : null;
  }

  /**
   * The routable instances carrying all {@code tags}; the ready list itself when there are none.
   * Congested instances are left out while any other will do. When every one is congested, the
   * one congested most recently is the candidate: an instance that keeps up flaps in and out of
   * congestion under a burst, while one that stopped reading stays congested, so a burst queues
   * behind the instance most likely draining (up to its link's limit) instead of failing at once.
   */
  public List<ServiceLink> candidates(Map<String, String> tags) {
    List<ServiceLink> matching = Tags.matching(ready, tags, tagged);
    if (!matching.isEmpty() || congested.isEmpty()) {
      return matching;
    }
    ServiceLink least = null;
    List<ServiceLink> fallback = Tags.matching(congested, tags, tagged);
    for (int i = 0; i < fallback.size(); i++) {
      ServiceLink link = fallback.get(i);
      if (least == null || link.congestedSinceNanos - least.congestedSinceNanos > 0) {
        least = link;
      }
    }
    leastCongested.clear();
    if (least != null) {
      leastCongested.add(least);
    }
    return leastCongested;
  }

  /** An instance for an unordered call, by the service's balancer. */
  ServiceLink select(List<ServiceLink> candidates, String hashKey) {
    return balancer.select(candidates, hashKey);
  }

  /** The instance a new order key is bound to: a consistent hash, so keys stay put as instances come and go. */
  ServiceLink selectOrdered(List<ServiceLink> candidates, String orderKey) {
    return orderedBalancer.select(candidates, orderKey);
  }

  // ---------------------------------------------------------------- health

  /** An attempt on {@code link} succeeded (the service answered with a code that says nothing of its health). */
  void succeeded(ServiceLink link, long latencyNanos) {
    link.consecutiveFailures = 0;
    link.intervalCalls++;
    link.intervalSuccesses++;
    link.breaker.onSuccess(latencyNanos, TimeUnit.NANOSECONDS);
  }

  /** An attempt on {@code link} failed: no answer in time, the instance was lost, or it answered 8, 13 or 14. */
  void failed(ServiceLink link, long latencyNanos) {
    link.intervalCalls++;
    link.breaker.onError(latencyNanos, TimeUnit.NANOSECONDS, FAILURE);
    if (++link.consecutiveFailures >= policy.breaker().consecutiveFailures()
        && link.breaker.getState() == CircuitBreaker.State.CLOSED) {
      link.breaker.transitionToOpenState();
    }
  }

  private void transitioned(ServiceLink link, CircuitBreaker.StateTransition transition) {
    log.info("Circuit of " + serviceKey + "@" + link.id() + ": " + transition.getFromState() + " -> "
        + transition.getToState());
    if (transition.getToState() == CircuitBreaker.State.OPEN) {
      cancel(link.breakerTimer);
      link.breakerTimer = vertx.setTimer(policy.breaker().openMs(), t -> {
        link.breakerTimer = -1;
        if (link.breaker.getState() == CircuitBreaker.State.OPEN) {
          link.breaker.transitionToHalfOpenState();
        }
      });
    }
    if (transition.getToState() == CircuitBreaker.State.CLOSED) {
      link.consecutiveFailures = 0;
    }
    update(link);
  }

  /** Circuits open now (for status and metrics). */
  int openCircuits() {
    int open = 0;
    for (ServiceLink link : links) {
      if (link.breaker.getState() == CircuitBreaker.State.OPEN) {
        open++;
      }
    }
    return open;
  }

  List<ServiceLink> links() {
    return links;
  }

  /**
   * One round of success-rate outlier detection: instances far below the others are ejected for
   * a while, within the limit on how many may be out at once.
   */
  void detectOutliers(OutlierOptions options) {
    List<ServiceLink> measured = new ArrayList<>();
    for (ServiceLink link : ready) {
      if (link.intervalCalls >= options.minCalls()) {
        measured.add(link);
      }
    }
    if (measured.size() >= options.minHosts()) {
      double mean = 0;
      for (ServiceLink link : measured) {
        mean += rate(link);
      }
      mean /= measured.size();
      double variance = 0;
      for (ServiceLink link : measured) {
        variance += (rate(link) - mean) * (rate(link) - mean);
      }
      double threshold = mean - options.stdevFactor() * Math.sqrt(variance / measured.size());
      int ejected = (int) links.stream().filter(l -> l.ejected).count();
      int maxEjected = links.size() * options.maxEjectionPercent() / 100;
      for (ServiceLink link : measured) {
        if (rate(link) < threshold && ejected < maxEjected) {
          eject(link, options.ejectMs(), rate(link), mean);
          ejected++;
        }
      }
    }
    for (ServiceLink link : links) {
      link.intervalCalls = 0;
      link.intervalSuccesses = 0;
    }
  }

  private static double rate(ServiceLink link) {
    return (double) link.intervalSuccesses / link.intervalCalls;
  }

  private void eject(ServiceLink link, long ejectMs, double rate, double mean) {
    log.warn("Ejecting " + serviceKey + "@" + link.id() + " for " + ejectMs + " ms: success rate "
        + Math.round(rate * 100) + "% against " + Math.round(mean * 100) + "% for the service");
    link.ejected = true;
    update(link);
    link.ejectTimer = vertx.setTimer(ejectMs, t -> {
      link.ejectTimer = -1;
      link.ejected = false;
      update(link);
    });
  }

  private void cancel(long timer) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
