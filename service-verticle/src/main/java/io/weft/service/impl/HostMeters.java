package io.weft.service.impl;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.core.events.ConsumerStats;
import io.weft.core.events.EventStats;
import io.weft.core.metrics.MeshMetrics;
import io.weft.core.metrics.MeterGroup;
import io.weft.core.metrics.MeterNames;
import io.weft.core.metrics.ObservedRole;
import io.weft.core.metrics.RateWindow;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one service instance (tags {@code service}, {@code instance}) and the instance as
 * the admin endpoints see it: a {@link MethodMeters} per declared method, resolved when the
 * instance starts, and one for names it does not have ({@link MeterNames#UNKNOWN}); gauges of its
 * calls running and waiting and of the gates connected; its event counters.
 */
public final class HostMeters implements ObservedRole {

  /** What the meters read of the host; read on the host's context (status) or as a benign race (gauges). */
  public interface Host {
    boolean isReady();

    int running();

    int waiting();

    int gates();
  }

  private final MeshMetrics metrics;
  private final String kind;
  private final String service;
  private final String instance;
  private final Context context;
  private final Host host;
  private final MeterGroup group;
  private final Map<String, MethodMeters> methods = new HashMap<>();
  private final MethodMeters unknownMethod;
  private EventStats events;

  public HostMeters(MeshMetrics metrics, String kind, String service, String instance, Context context, Host host,
                    Iterable<String> methodNames) {
    this.metrics = metrics;
    this.kind = kind;
    this.service = service;
    this.instance = instance;
    this.context = context;
    this.host = host;
    this.group = new MeterGroup(metrics.registry(), Tags.of("service", service, "instance", instance));
    for (String name : methodNames) {
      methods.put(name, new MethodMeters(group, name));
    }
    unknownMethod = new MethodMeters(group, MeterNames.UNKNOWN);
    group.gauge(MeterNames.SERVICE_RUNNING, "Calls running on the instance", host, h -> h.running());
    group.gauge(MeterNames.SERVICE_WAITING, "Calls waiting for the instance's concurrency limit", host, h -> h.waiting());
    group.gauge(MeterNames.SERVICE_GATES, "Gates connected to the instance", host, h -> h.gates());
  }

  /** The meters of a method; a name the instance does not have gets the unknown method's. */
  public MethodMeters method(String name) {
    MethodMeters meters = name == null ? null : methods.get(name);
    return meters == null ? unknownMethod : meters;
  }

  public MethodMeters unknownMethod() {
    return unknownMethod;
  }

  /**
   * Binds the instance's event counters: what it published, and for each stream it consumes
   * ({@code streams}: its subscriptions' and its persistent calls', consumers that start later
   * count from when they start) what its consumer did.
   */
  public void bindEvents(EventStats stats, String group, List<String> streams) {
    this.events = stats;
    this.group.functionCounter(MeterNames.EVENTS_PUBLISHED, "Events the instance published", stats,
        EventStats::published, "outcome", "ok");
    this.group.functionCounter(MeterNames.EVENTS_PUBLISHED, "Events the instance published", stats,
        EventStats::publishFailures, "outcome", "failed");
    this.group.functionCounter(MeterNames.EVENTS_PERSISTENT_CALLS, "Persistent calls the instance stored", stats,
        EventStats::callsStored, "outcome", "stored");
    this.group.functionCounter(MeterNames.EVENTS_PERSISTENT_CALLS, "Persistent calls the instance stored", stats,
        EventStats::callDuplicates, "outcome", "duplicate");
    for (String stream : streams) {
      consumerCounter(MeterNames.EVENTS_DELIVERED, "Handler runs started", stats, stream, group, ConsumerStats::delivered);
      consumerCounter(MeterNames.EVENTS_HANDLED, "Entries handled and acknowledged", stats, stream, group,
          ConsumerStats::handled);
      consumerCounter(MeterNames.EVENTS_FAILED, "Handler runs that failed", stats, stream, group, ConsumerStats::failed);
      consumerCounter(MeterNames.EVENTS_REDELIVERED, "Entries taken over or retried", stats, stream, group,
          ConsumerStats::redelivered);
      consumerCounter(MeterNames.EVENTS_DEAD_LETTERED, "Entries moved to the dead letters", stats, stream, group,
          ConsumerStats::deadLettered);
      consumerCounter(MeterNames.EVENTS_SKIPPED, "Entries acknowledged unread", stats, stream, group,
          ConsumerStats::skipped);
      consumerGauge(MeterNames.EVENTS_IN_FLIGHT, "Entries the consumer holds", stats, stream, group,
          ConsumerStats::inFlight);
      consumerGauge(MeterNames.EVENTS_PENDING, "Entries delivered to the group and not acknowledged", stats, stream,
          group, ConsumerStats::pending);
      consumerGauge(MeterNames.EVENTS_LAG, "Entries of the stream not delivered to the group yet", stats, stream,
          group, ConsumerStats::lag);
      consumerGauge(MeterNames.EVENTS_DEAD_LETTERS, "Entries in the group's dead letters", stats, stream, group,
          ConsumerStats::deadLetters);
    }
  }

  private void consumerCounter(String name, String description, EventStats stats, String stream, String consumerGroup,
                               ToDoubleFunction<ConsumerStats> value) {
    group.functionCounter(name, description, stats, s -> consumerValue(s, stream, value, 0), "stream", stream,
        "group", consumerGroup);
  }

  private void consumerGauge(String name, String description, EventStats stats, String stream, String consumerGroup,
                             ToDoubleFunction<ConsumerStats> value) {
    group.gauge(name, description, stats, s -> consumerValue(s, stream, value, Double.NaN), "stream", stream,
        "group", consumerGroup);
  }

  private static double consumerValue(EventStats stats, String stream, ToDoubleFunction<ConsumerStats> value,
                                      double absent) {
    for (ConsumerStats c : stats.consumers()) {
      if (c.stream().equals(stream)) {
        double v = value.applyAsDouble(c);
        // -1: not refreshed from Redis yet.
        return v < 0 ? Double.NaN : v;
      }
    }
    return absent;
  }

  @Override
  public String kind() {
    return kind;
  }

  @Override
  public String id() {
    return service + "@" + instance;
  }

  @Override
  public boolean isReady() {
    return host.isReady();
  }

  @Override
  public Future<JsonObject> status(RateWindow rates) {
    Promise<JsonObject> promise = Promise.promise();
    context.runOnContext(v -> promise.complete(statusNow(rates)));
    return promise.future();
  }

  private JsonObject statusNow(RateWindow rates) {
    Predicate<Meter.Id> mine = id -> service.equals(id.getTag("service")) && instance.equals(id.getTag("instance"));
    JsonArray methodsJson = new JsonArray();
    methods.keySet().stream().sorted().forEach(method -> methodsJson.add(
        calls(rates, mine.and(id -> method.equals(id.getTag("method")))).put("method", method)));
    Predicate<Meter.Id> unknown = mine.and(id -> MeterNames.UNKNOWN.equals(id.getTag("method")));
    if (rates.total(MeterNames.SERVICE_CALLS, unknown) > 0) {
      methodsJson.add(calls(rates, unknown).put("method", MeterNames.UNKNOWN));
    }
    JsonObject json = calls(rates, mine)
        .put("kind", kind)
        .put("id", id())
        .put("service", service)
        .put("instance", instance)
        .put("ready", host.isReady())
        .put("gates", host.gates())
        .put("running", host.running())
        .put("waiting", host.waiting())
        .put("methods", methodsJson);
    if (rates.total(MeterNames.PUSH_PUSHES, id -> service.equals(id.getTag("service"))) > 0 || "push".equals(kind)) {
      Predicate<Meter.Id> pushes = id -> service.equals(id.getTag("service"));
      JsonObject byOutcome = new JsonObject();
      rates.perSecondBy(MeterNames.PUSH_PUSHES, pushes, "outcome").forEach(byOutcome::put);
      json.put("pushes", new JsonObject()
          .put("perSec", rates.perSecond(MeterNames.PUSH_PUSHES, pushes))
          .put("perSecByOutcome", byOutcome)
          .put("total", (long) rates.total(MeterNames.PUSH_PUSHES, pushes))
          .put("acks", (long) rates.total(MeterNames.PUSH_ACKS, pushes)));
    }
    if (events != null) {
      JsonArray consumers = new JsonArray();
      for (ConsumerStats c : events.consumers()) {
        consumers.add(new JsonObject().put("stream", c.stream()).put("group", c.group()).put("handled", c.handled())
            .put("failed", c.failed()).put("deadLettered", c.deadLettered()).put("pending", c.pending())
            .put("lag", c.lag()).put("deadLetters", c.deadLetters()));
      }
      json.put("events", new JsonObject()
          .put("published", events.published())
          .put("publishedPerSec", rates.perSecond(MeterNames.EVENTS_PUBLISHED,
              mine.and(id -> "ok".equals(id.getTag("outcome")))))
          .put("publishFailures", events.publishFailures())
          .put("consumers", consumers));
    }
    return json;
  }

  private static JsonObject calls(RateWindow rates, Predicate<Meter.Id> filter) {
    return rates.calls(MeterNames.SERVICE_CALLS, MeterNames.SERVICE_CALL_DURATION, filter);
  }

  /** Shows the instance on the admin endpoints. */
  public void open() {
    metrics.addRole(this);
  }

  /** Takes the instance off the admin endpoints and removes its meters. */
  public void close() {
    metrics.removeRole(this);
    group.close();
  }
}
