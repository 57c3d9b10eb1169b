package io.weft.gate.impl;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.core.metrics.MeshMetrics;
import io.weft.core.metrics.MeterGroup;
import io.weft.core.metrics.MeterNames;
import io.weft.core.metrics.ObservedRole;
import io.weft.core.metrics.RateWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/**
 * The meters of one gate (tag {@code gate}: its id), shared by its instances, and the gate as the
 * admin endpoints see it. Counters the call path touches are resolved here once: the flow
 * counters, and per service and method ({@link ServiceMeters}) the calls by code and their
 * latency. Gauges read what the instances publish: their connections and calls in flight, and
 * each instance's {@link GateView} of the services (instances, circuits, busiest sources).
 */
public final class GateMeters implements ObservedRole {

  /** One instance of the gate, as the meters see it. */
  public final class Member {
    private final BooleanSupplier ready;
    private final IntSupplier inFlight;
    private volatile GateView view = GateView.EMPTY;

    private Member(BooleanSupplier ready, IntSupplier inFlight) {
      this.ready = ready;
      this.inFlight = inFlight;
    }

    /** The instance's view of its services, taken on its event loop. */
    public void publish(ServiceDirectory directory) {
      view = GateView.part(directory);
      refreshGauges();
    }
  }

  private final MeshMetrics metrics;
  private final String gateId;
  private final String mode;
  private final GateShared shared;
  private final int topSources;
  private final MeterGroup group;
  final Counter clientRequests;
  final Counter routes;
  final Counter retries;
  final Counter pushesDelivered;
  final Counter pushesDropped;
  private final Map<String, ServiceMeters> services = new ConcurrentHashMap<>();
  final ServiceMeters unknownService;
  private final MultiGauge instances;
  private final MultiGauge breakers;
  private final MultiGauge sources;
  private final List<Member> members = new CopyOnWriteArrayList<>();

  public GateMeters(MeshMetrics metrics, String gateId, String mode, GateShared shared) {
    this.metrics = metrics;
    this.gateId = gateId;
    this.mode = mode;
    this.shared = shared;
    this.topSources = metrics.options().getTopSources();
    this.group = new MeterGroup(metrics.registry(), Tags.of("gate", gateId));
    clientRequests = group.counter(MeterNames.GATE_CLIENT_REQUESTS, "Calls clients sent to the gate");
    routes = group.counter(MeterNames.GATE_ROUTES, "Calls the gate routed to a service (from clients and services)");
    retries = group.counter(MeterNames.GATE_RETRIES, "Attempts the gate made again after a failed one");
    pushesDelivered = group.counter(MeterNames.GATE_PUSHES, "Pushes the gate delivered to its clients, or dropped",
        "outcome", "delivered");
    pushesDropped = group.counter(MeterNames.GATE_PUSHES, "Pushes the gate delivered to its clients, or dropped",
        "outcome", "dropped");
    group.gauge(MeterNames.GATE_CONNECTIONS, "Client connections open", shared, GateShared::connections);
    group.gauge(MeterNames.GATE_IN_FLIGHT, "Calls waiting for a service's answer", members,
        list -> list.stream().mapToInt(m -> m.inFlight.getAsInt()).sum());
    for (String event : GateShared.COUNTERS) {
      group.functionCounter(MeterNames.GATE_SECURITY,
          "What the gate refused and why, and its connections and authentications", shared,
          s -> s.counter(event), "event", event);
    }
    unknownService = new ServiceMeters(group, MeterNames.UNKNOWN);
    instances = group.multiGauge(MeterNames.GATE_INSTANCES, "Service instances the gate knows, by whether it routes to them");
    breakers = group.multiGauge(MeterNames.GATE_BREAKERS, "Circuit breakers (one per gate event loop and instance) by state");
    sources = group.multiGauge(MeterNames.GATE_SOURCE_CALLS,
        "Calls since start of the busiest client sources of each method (estimated past the sketch's capacity)");
  }

  public String gateId() {
    return gateId;
  }

  /** An instance of the gate joins: its readiness and calls in flight count from now on. */
  public Member join(BooleanSupplier ready, IntSupplier inFlight) {
    Member member = new Member(ready, inFlight);
    members.add(member);
    return member;
  }

  public void leave(Member member) {
    members.remove(member);
  }

  /** The meters of a service the registry showed (off the call path). */
  ServiceMeters service(String serviceKey) {
    return services.computeIfAbsent(serviceKey, k -> new ServiceMeters(group, k));
  }

  int topSources() {
    return topSources;
  }

  /** All instances of the gate merged. */
  GateView view() {
    List<GateView> parts = new ArrayList<>(members.size());
    for (Member m : members) {
      parts.add(m.view);
    }
    return parts.isEmpty() ? GateView.EMPTY : GateView.merge(parts, topSources);
  }

  private void refreshGauges() {
    GateView view = view();
    List<MultiGauge.Row<?>> instanceRows = new ArrayList<>();
    List<MultiGauge.Row<?>> breakerRows = new ArrayList<>();
    List<MultiGauge.Row<?>> sourceRows = new ArrayList<>();
    view.services().forEach((service, s) -> {
      int routable = s.routable();
      instanceRows.add(MultiGauge.Row.of(Tags.of("service", service, "state", "routable"), routable));
      instanceRows.add(MultiGauge.Row.of(Tags.of("service", service, "state", "unroutable"), s.links().size() - routable));
      s.breakers().forEach((state, n) ->
          breakerRows.add(MultiGauge.Row.of(Tags.of("service", service, "state", state.toLowerCase()), n)));
      s.topSources().forEach((method, counts) -> counts.forEach(c -> sourceRows.add(MultiGauge.Row.of(
          Tags.of("service", service, "method", method, "source", c.source()), c.calls()))));
    });
    instances.register(instanceRows, true);
    breakers.register(breakerRows, true);
    sources.register(sourceRows, true);
  }

  @Override
  public String kind() {
    return "gate";
  }

  @Override
  public String id() {
    return gateId;
  }

  /** Ready when every instance of the gate is. */
  @Override
  public boolean isReady() {
    if (members.isEmpty()) {
      return false;
    }
    for (Member m : members) {
      if (!m.ready.getAsBoolean()) {
        return false;
      }
    }
    return true;
  }

  /** Thread-safe: it reads meters and published views only. */
  @Override
  public Future<JsonObject> status(RateWindow rates) {
    Predicate<Meter.Id> gate = id -> gateId.equals(id.getTag("gate"));
    int inFlight = 0;
    for (Member m : members) {
      inFlight += m.inFlight.getAsInt();
    }
    JsonArray servicesJson = new JsonArray();
    view().services().forEach((service, s) -> servicesJson.add(serviceStatus(rates, gate, s)));
    Predicate<Meter.Id> unknown = gate.and(id -> MeterNames.UNKNOWN.equals(id.getTag("service")));
    if (rates.total(MeterNames.GATE_CALLS, unknown) > 0) {
      // Calls to services no instance of which ever registered, and calls refused on arrival.
      servicesJson.add(callStatus(rates, unknown).put("service", MeterNames.UNKNOWN).put("instances", new JsonArray())
          .put("routable", 0).put("breakers", new JsonObject()).put("methods", new JsonArray()));
    }
    return Future.succeededFuture(new JsonObject()
        .put("kind", kind())
        .put("id", gateId)
        .put("mode", mode)
        .put("ready", isReady())
        .put("connections", shared.connections())
        .put("inFlight", inFlight)
        .put("clientRequestsPerSec", rates.perSecond(MeterNames.GATE_CLIENT_REQUESTS, gate))
        .put("routesPerSec", rates.perSecond(MeterNames.GATE_ROUTES, gate))
        .put("services", servicesJson));
  }

  private static JsonObject serviceStatus(RateWindow rates, Predicate<Meter.Id> gate, GateView.ServiceView s) {
    Predicate<Meter.Id> service = gate.and(id -> s.service().equals(id.getTag("service")));
    JsonArray links = new JsonArray();
    s.links().values().forEach(l -> links.add(new JsonObject()
        .put("id", l.id()).put("state", l.state()).put("routable", l.routable()).put("breaker", l.breaker())
        .put("ejected", l.ejected()).put("inFlight", l.inFlight())));
    JsonArray methods = new JsonArray();
    List<String> names = new ArrayList<>(s.methods());
    if (rates.total(MeterNames.GATE_CALLS, service.and(id -> MeterNames.UNKNOWN.equals(id.getTag("method")))) > 0) {
      names.add(MeterNames.UNKNOWN);
    }
    for (String method : names) {
      Predicate<Meter.Id> m = service.and(id -> method.equals(id.getTag("method")));
      JsonArray top = new JsonArray();
      s.topSources().getOrDefault(method, List.of())
          .forEach(c -> top.add(new JsonObject().put("source", c.source()).put("calls", c.calls())));
      methods.add(callStatus(rates, m).put("method", method).put("topSources", top));
    }
    return callStatus(rates, service)
        .put("service", s.service())
        .put("instances", links)
        .put("routable", s.routable())
        .put("breakers", new JsonObject(new java.util.LinkedHashMap<>(s.breakers())))
        .put("methods", methods);
  }

  private static JsonObject callStatus(RateWindow rates, Predicate<Meter.Id> calls) {
    return rates.calls(MeterNames.GATE_CALLS, MeterNames.GATE_CALL_DURATION, calls);
  }

  /** Removes the gate's meters and takes it off the admin endpoints (the last instance stopped). */
  void close() {
    metrics.removeRole(this);
    group.close();
  }

  /** Shows the gate on the admin endpoints. */
  void open() {
    metrics.addRole(this);
  }
}
