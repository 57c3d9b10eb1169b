package io.weft.gate.impl;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the instances of one gate see of their services, merged: each service's instances (their
 * link state, circuit, calls in flight) and the busiest sources of its methods. Each gate
 * instance takes a {@link Part} of its own on its event loop every {@code sampleMs}; status and
 * gauges read the merge, from any thread.
 */
record GateView(Map<String, ServiceView> services) {

  static final GateView EMPTY = new GateView(Map.of());

  /** One service: its instances by id, and the busiest sources per method. */
  record ServiceView(String service, Map<String, LinkView> links, List<String> methods,
                     Map<String, List<MethodStats.SourceCount>> topSources) {

    int routable() {
      return (int) links.values().stream().filter(LinkView::routable).count();
    }

    /** Circuits per state, one per gate event loop and instance. */
    Map<String, Integer> breakers() {
      Map<String, Integer> counts = new TreeMap<>();
      for (CircuitBreaker.State s : List.of(CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN,
          CircuitBreaker.State.HALF_OPEN)) {
        counts.put(s.name(), 0);
      }
      links.values().forEach(l -> l.breakers().forEach((state, n) -> counts.merge(state, n, Integer::sum)));
      return counts;
    }
  }

  /**
   * One service instance as the gate sees it. Merged over the gate's event loops: routable only
   * if every loop routes to it, the worst circuit state shown, calls in flight summed.
   */
  record LinkView(String id, String state, boolean routable, String breaker, Map<String, Integer> breakers,
                  boolean ejected, int inFlight) {

    LinkView merge(LinkView other) {
      Map<String, Integer> both = new TreeMap<>(breakers);
      other.breakers.forEach((s, n) -> both.merge(s, n, Integer::sum));
      return new LinkView(id, state, routable && other.routable, worse(breaker, other.breaker), both,
          ejected || other.ejected, inFlight + other.inFlight);
    }

    private static String worse(String a, String b) {
      return rank(b) > rank(a) ? b : a;
    }

    private static int rank(String state) {
      return switch (state) {
        case "OPEN", "FORCED_OPEN" -> 2;
        case "HALF_OPEN" -> 1;
        default -> 0;
      };
    }
  }

  /** What one gate instance sees now; take it on the instance's event loop. */
  static GateView part(ServiceDirectory directory) {
    Map<String, ServiceView> services = new TreeMap<>();
    for (ServicePool pool : directory.pools()) {
      Map<String, LinkView> links = new TreeMap<>();
      for (ServiceLink link : pool.links()) {
        String breaker = link.breaker == null ? CircuitBreaker.State.CLOSED.name() : link.breaker.getState().name();
        links.put(link.id(), new LinkView(link.id(), link.retired ? "RETIRED" : link.state.name(), link.isReady(),
            breaker, Map.of(breaker, 1), link.ejected, link.activeCalls()));
      }
      ServiceStats stats = pool.stats();
      List<String> methods = stats == null ? List.of() : new ArrayList<>(stats.methodNames());
      methods.sort(null);
      services.put(pool.serviceKey(), new ServiceView(pool.serviceKey(), links, methods,
          stats == null ? Map.of() : stats.topSources()));
    }
    return new GateView(services);
  }

  /** The parts of a gate's instances as one view; the busiest sources summed and cut to {@code topSources}. */
  static GateView merge(List<GateView> parts, int topSources) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    Map<String, ServiceView> services = new TreeMap<>();
    for (GateView part : parts) {
      part.services().forEach((key, view) -> services.merge(key, view, (a, b) -> mergeService(a, b, topSources)));
    }
    return new GateView(services);
  }

  private static ServiceView mergeService(ServiceView a, ServiceView b, int topSources) {
    Map<String, LinkView> links = new TreeMap<>(a.links());
    b.links().forEach((id, link) -> links.merge(id, link, LinkView::merge));
    List<String> methods = new ArrayList<>(a.methods());
    b.methods().stream().filter(m -> !methods.contains(m)).forEach(methods::add);
    methods.sort(null);
    Map<String, List<MethodStats.SourceCount>> top = new LinkedHashMap<>(a.topSources());
    b.topSources().forEach((method, counts) -> top.merge(method, counts, (x, y) -> sumTop(x, y, topSources)));
    return new ServiceView(a.service(), links, methods, top);
  }

  private static List<MethodStats.SourceCount> sumTop(List<MethodStats.SourceCount> a, List<MethodStats.SourceCount> b,
                                                      int n) {
    Map<String, Long> sums = new LinkedHashMap<>();
    a.forEach(c -> sums.merge(c.source(), c.calls(), Long::sum));
    b.forEach(c -> sums.merge(c.source(), c.calls(), Long::sum));
    return sums.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(n)
        .map(e -> new MethodStats.SourceCount(e.getKey(), e.getValue()))
        .toList();
  }
}
