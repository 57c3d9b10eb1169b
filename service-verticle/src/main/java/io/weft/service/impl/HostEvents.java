package io.weft.service.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.codec.CodecException;
import io.weft.core.codec.InnerRpc;
import io.weft.core.codec.LocalCodec;
import io.weft.core.events.ConsumerSettings;
import io.weft.core.events.DeadLetterException;
import io.weft.core.events.EventKeys;
import io.weft.core.events.EventStats;
import io.weft.core.events.EventStore;
import io.weft.core.events.EventsOptions;
import io.weft.core.events.StreamConsumer;
import io.weft.core.events.StreamEntry;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.Caller;
import io.weft.core.trace.CallLogger;
import io.weft.core.trace.CallSpan;
import io.weft.core.trace.MeshTracing;
import io.weft.core.trace.SpanNames;
import io.weft.core.trace.TraceParent;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.weft.service.MethodSpec;
import io.weft.service.SubscriptionSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The events of one {@link io.weft.service.ServiceHost}: the Redis store its services publish and
 * store persistent calls through, one {@link StreamConsumer} per subscription (the service's group
 * on the topic, this instance a consumer in it), and one for the service's persistent-call stream.
 * <p>
 * Consumers run on the host's context and hand each event to the service's business verticles
 * over the event bus ({@link EventDelivery} to {@code <address>.events}): unordered events to the
 * verticles taking unordered calls, the events of an ordered subscription to the ordered worker of
 * their lane, one at a time per lane. A persistent call is run like a one-way call from a gate
 * ({@link Invocation}), through the service's interceptors, its outcome reported back here.
 * <p>
 * Every event and stored call carries a {@code traceparent} ({@code trace}): the publisher's, or a
 * new one when it has none. With tracing on, publishing and storing are producer spans (the stored
 * trace names them), handling an event or running a stored call a consumer span, its child.
 */
public final class HostEvents {

  private static final Logger log = LoggerFactory.getLogger(HostEvents.class);
  private static final CallLogger callLog = CallLogger.get(HostEvents.class);

  /** Appended to a business verticle's call address: where it takes events. */
  public static final String EVENTS_SUFFIX = ".events";
  /** The longest a stopping host waits for the handlers running (its verticles are already gone). */
  private static final long MAX_DRAIN_MS = 2_000;

  private final Vertx vertx;
  private final ContextInternal context;
  private final EventsOptions options;
  private final String namespace;
  private final String service;
  private final Map<String, MethodSpec> methods;
  private final Collection<SubscriptionSpec<?>> subscriptions;
  private final String callAddress;
  private final String[] orderedAddresses;
  private final GateCalls calls;
  private final EventStore store;
  private final EventStats stats = new EventStats();
  private final List<StreamConsumer<?>> consumers = new ArrayList<>();
  private final Map<Long, Promise<Void>> callsRunning = new HashMap<>();
  private final String outcomeAddress = "weft.service.persistent." + UUID.randomUUID();
  private final HandOff handOff;
  private HandOff.Receiver outcomes;
  private long nextCall = 1;
  private volatile String instanceId;
  private volatile Future<Void> stopped;
  /** Stops the consumers with the host's context, also when the host failed to start. */
  private final io.vertx.core.Closeable onClose = completion -> stop().onComplete(completion);

  /** Create it on the host's context; {@code options} must name a Redis. */
  public HostEvents(Vertx vertx, ContextInternal context, EventsOptions options, String namespace, String service,
                    Map<String, MethodSpec> methods, Collection<SubscriptionSpec<?>> subscriptions, String callAddress,
                    String[] orderedAddresses, GateCalls calls, HandOff handOff) {
    this.vertx = vertx;
    this.handOff = handOff;
    this.context = context;
    this.options = options;
    this.namespace = namespace;
    this.service = service;
    this.methods = methods;
    this.subscriptions = List.copyOf(subscriptions);
    this.callAddress = callAddress;
    this.orderedAddresses = orderedAddresses;
    this.calls = calls;
    this.store = EventStore.create(vertx, options);
    LocalCodec.registerOnce(vertx.eventBus(), EventDelivery.class);
    context.addCloseHook(onClose);
  }

  /**
   * Checks that a service can run: one that subscribes to anything needs Redis.
   *
   * @throws IllegalArgumentException naming the service and its topics when it cannot
   */
  public static void check(String namespace, String service, EventsOptions options,
                           Collection<SubscriptionSpec<?>> subscriptions) {
    if (!subscriptions.isEmpty() && options.getRedis() == null) {
      List<String> topics = subscriptions.stream().map(SubscriptionSpec::topic).toList();
      throw new IllegalArgumentException(namespace + "/" + service + " subscribes to " + String.join(", ", topics)
          + ": events need Redis: set events.redis (or WEFT_REDIS)");
    }
  }

  /** The failure of publishing without Redis. */
  public static MeshException noRedis() {
    return MeshException.quiet(Code.UNAVAILABLE, "events need Redis: set events.redis");
  }

  public EventStats stats() {
    return stats;
  }

  private String group() {
    return EventKeys.group(namespace, service);
  }

  private String publisher() {
    String id = instanceId;
    return group() + (id == null ? "" : "@" + id);
  }

  /**
   * Starts the consumers, as consumer {@code instanceId} of the service's groups. Fails when a
   * subscription's group cannot be created (Redis unreachable); the persistent-call stream's is
   * created in the background until it can be.
   */
  public Future<Void> start(String instanceId) {
    this.instanceId = instanceId;
    outcomes = handOff.register(outcomeAddress, context, this::callEnded);
    List<Future<Void>> started = new ArrayList<>();
    for (SubscriptionSpec<?> spec : subscriptions) {
      started.add(subscribe(spec, instanceId));
    }
    return Future.all(started).<Void>mapEmpty().onSuccess(v -> {
      if (options.isPersistentCalls()) {
        startCalls(instanceId, 1);
      }
    });
  }

  private <E> Future<Void> subscribe(SubscriptionSpec<E> spec, String instanceId) {
    ConsumerSettings settings = spec.settings(options, orderedAddresses.length);
    StreamConsumer<E> consumer = new StreamConsumer<>(context, store, EventKeys.topic(spec.topic()), group(),
        instanceId, settings, new EventsHandler<>(spec));
    consumers.add(consumer);
    stats.add(consumer.stats());
    return consumer.start(spec.startFrom(options).streamId())
        .recover(err -> Future.failedFuture(new IllegalStateException(group() + " cannot subscribe to "
            + spec.topic() + " on " + EventsOptions.withoutPassword(options.getRedis()) + ": " + err.getMessage(), err)));
  }

  /** The persistent-call stream's group starts at 0: calls stored before the service ever ran are for it too. */
  private void startCalls(String instanceId, int attempt) {
    StreamConsumer<PersistentCall> consumer = new StreamConsumer<>(context, store, EventKeys.calls(namespace, service),
        group(), instanceId, ConsumerSettings.of(options).withDeleteHandled(true), new CallsHandler());
    consumer.start("0").onComplete(ar -> {
      if (stopped != null) {
        consumer.stop(0);
      } else if (ar.succeeded()) {
        consumers.add(consumer);
        stats.add(consumer.stats());
      } else {
        long delay = Math.min(30_000, 500L << Math.min(6, attempt));
        log.warn("Cannot consume the persistent calls of " + group() + " yet (trying again in " + delay + " ms): "
            + ar.cause().getMessage());
        context.setTimer(delay, t -> {
          if (stopped == null) {
            startCalls(instanceId, attempt + 1);
          }
        });
      }
    });
  }

  /** Stops the consumers (what they had not started goes to other instances) and closes the store; once. */
  public synchronized Future<Void> stop() {
    if (stopped == null) {
      Promise<Void> done = context.promise();
      stopped = done.future();
      context.runOnContext(v -> stopNow().onComplete(done));
    }
    return stopped;
  }

  private Future<Void> stopNow() {
    long drainMs = Math.min(MAX_DRAIN_MS, options.getVisibilityTimeoutMs());
    List<Future<Void>> drains = new ArrayList<>();
    for (StreamConsumer<?> c : consumers) {
      drains.add(c.stop(drainMs));
    }
    HandOff.Receiver o = outcomes;
    outcomes = null;
    return Future.join(drains)
        .transform(ar -> {
          handOff.unregister(o);
          return store.close();
        });
  }

  // ---------------------------------------------------------------- publishing

  /** Publishes for a service verticle; the future completes on {@code caller}. */
  public Future<String> publish(ContextInternal caller, String trace, String topic, Object event, String key) {
    byte[] data;
    try {
      EventKeys.checkTopic(topic);
      data = ArgsCodec.encode(event);
    } catch (IllegalArgumentException | CodecException e) {
      stats.recordPublish(false);
      return caller.failedFuture(MeshException.quiet(Code.INVALID_ARGUMENT, e.getMessage()));
    }
    CallSpan span = null;
    MeshTracing tracing = calls.tracing();
    if (tracing.enabled()) {
      span = tracing.start("publish " + topic, SpanKind.PRODUCER, trace, Attributes.of(MeshTracing.MESSAGING_SYSTEM,
          "redis", MeshTracing.MESSAGING_DESTINATION, topic));
      trace = span.traceparent();
    } else if (trace == null) {
      trace = TraceParent.start(true);
    }
    Promise<String> published = caller.promise();
    CallSpan publishing = span;
    String stored = trace;
    store.publish(topic, data, publisher(), trace, key).onComplete(ar -> {
      stats.recordPublish(ar.succeeded());
      if (ar.succeeded()) {
        if (publishing != null) {
          publishing.set(MeshTracing.MESSAGING_MESSAGE_ID, ar.result()).end(Code.OK.value(), null);
        }
        callLog.debug(stored, "Published " + topic + " " + ar.result());
        published.complete(ar.result());
      } else {
        MeshException failure = MeshException.quiet(Code.UNAVAILABLE, "cannot publish to " + topic + ": "
            + ar.cause().getMessage());
        if (publishing != null) {
          publishing.end(failure.code().value(), failure.getMessage());
        }
        callLog.debug(stored, failure.getMessage());
        published.fail(failure);
      }
    });
    return published.future();
  }

  /** Stores a persistent call for a service verticle; the future completes on {@code caller}. */
  public Future<String> callPersistent(ContextInternal caller, String trace, String namespace, String service,
                                       String method, Object args, String messageId) {
    byte[] innerRpc;
    try {
      EventKeys.group(namespace, service);
      if (method == null || method.isEmpty()) {
        throw new IllegalArgumentException("method must not be empty");
      }
      innerRpc = ArgsCodec.encodeInnerRpc(method, args);
    } catch (IllegalArgumentException | CodecException e) {
      return caller.failedFuture(MeshException.quiet(Code.INVALID_ARGUMENT, e.getMessage()));
    }
    String id = messageId != null ? messageId : UUID.randomUUID().toString();
    CallSpan span = null;
    MeshTracing tracing = calls.tracing();
    if (tracing.enabled()) {
      SpanNames.Named named = SpanNames.of("store ", namespace, service, method);
      span = tracing.start(named.name(), SpanKind.PRODUCER, trace, named.attributes())
          .set(MeshTracing.MESSAGING_MESSAGE_ID, id);
      trace = span.traceparent();
    } else if (trace == null) {
      trace = TraceParent.start(true);
    }
    Promise<String> stored = caller.promise();
    CallSpan storing = span;
    String carried = trace;
    store.storeCall(namespace, service, id, innerRpc, publisher(), trace).onComplete(ar -> {
      if (ar.succeeded()) {
        stats.recordCall(ar.result().duplicate());
        if (storing != null) {
          storing.end(Code.OK.value(), null);
        }
        callLog.debug(carried, "Stored a call of " + namespace + "/" + service + "." + method + " as " + id
            + (ar.result().duplicate() ? " (a duplicate: stored before)" : ""));
        stored.complete(id);
      } else {
        MeshException failure = MeshException.quiet(Code.UNAVAILABLE, "cannot store a call of " + namespace + "/"
            + service + "." + method + ": " + ar.cause().getMessage());
        if (storing != null) {
          storing.end(failure.code().value(), failure.getMessage());
        }
        stored.fail(failure);
      }
    });
    return stored.future();
  }

  private static int codeOf(Throwable failure) {
    return failure instanceof MeshException me ? me.code().value() : Code.INTERNAL.value();
  }

  // ---------------------------------------------------------------- events

  /** Decodes each event on the host's context (an ordered subscription's key needs it), then hands it over. */
  private final class EventsHandler<E> implements StreamConsumer.Handler<E> {

    private final SubscriptionSpec<E> spec;
    private final String spanName;
    private final Attributes spanAttributes;

    EventsHandler(SubscriptionSpec<E> spec) {
      this.spec = spec;
      this.spanName = "handle " + spec.topic();
      this.spanAttributes = Attributes.of(MeshTracing.MESSAGING_SYSTEM, "redis", MeshTracing.MESSAGING_DESTINATION,
          spec.topic(), MeshTracing.MESSAGING_GROUP, group());
    }

    @Override
    public E prepare(StreamEntry entry) {
      byte[] data = entry.data();
      if (data == null) {
        throw new DeadLetterException("the entry has no '" + StreamEntry.DATA + "' field");
      }
      E event;
      try {
        event = ArgsCodec.decode(data, spec.type());
      } catch (CodecException e) {
        throw new DeadLetterException("cannot decode the event: " + e.getMessage());
      }
      if (event == null && spec.type() != Void.class) {
        throw new DeadLetterException("the event is nil");
      }
      return event;
    }

    @Override
    public String orderKey(StreamEntry entry, E event) {
      return spec.keyOf(event, entry.key());
    }

    @Override
    public Future<?> handle(StreamConsumer.Delivery<E> d) {
      Promise<Void> done = context.promise();
      String address = d.lane() < 0 ? callAddress : orderedAddresses[Math.floorMod(d.lane(), orderedAddresses.length)];
      String trace = d.entry().trace();
      MeshTracing tracing = calls.tracing();
      if (tracing.enabled()) {
        CallSpan span = tracing.start(spanName, SpanKind.CONSUMER, trace, spanAttributes)
            .set(MeshTracing.MESSAGING_MESSAGE_ID, d.entry().id())
            .set(MeshTracing.MESSAGING_DELIVERY, d.attempt())
            .set(MeshTracing.INSTANCE, instanceId);
        trace = span.traceparent();
        done.future().onComplete(ar -> span.end(ar.succeeded() ? Code.OK.value() : codeOf(ar.cause()),
            ar.succeeded() ? null : String.valueOf(ar.cause().getMessage())));
      }
      String carried = trace;
      done.future().onSuccess(v -> callLog.debug(carried, "Handled " + spec.topic() + " " + d.entry().id()
          + " (attempt " + d.attempt() + ")"));
      vertx.eventBus().send(address + EVENTS_SUFFIX, new EventDelivery(spec.topic(), d.entry(), trace, d.prepared(),
          d.attempt(), instanceId, vertx, calls, done));
      return done.future();
    }
  }

  // ---------------------------------------------------------------- persistent calls

  /** A stored call, checked: its method exists and its bytes are a well-formed {@code [method, args]}. */
  private record PersistentCall(String messageId, String marker, byte[] bytes, InnerRpc rpc, MethodSpec spec) {
  }

  private final class CallsHandler implements StreamConsumer.Handler<PersistentCall> {

    private final String stream = EventKeys.calls(namespace, service);

    @Override
    public PersistentCall prepare(StreamEntry entry) {
      byte[] bytes = entry.bytes(StreamEntry.CALL);
      if (bytes == null) {
        throw new DeadLetterException("the entry has no '" + StreamEntry.CALL + "' field");
      }
      InnerRpc rpc;
      try {
        rpc = ArgsCodec.decodeInnerRpc(bytes);
      } catch (CodecException e) {
        throw new DeadLetterException("bad call: " + e.getMessage());
      }
      MethodSpec spec = methods.get(rpc.method());
      if (spec == null) {
        throw new DeadLetterException("unknown method " + rpc.method());
      }
      String messageId = entry.text(StreamEntry.MESSAGE_ID);
      return new PersistentCall(messageId, messageId == null ? null : EventKeys.callMarker(stream, messageId), bytes,
          rpc, spec);
    }

    @Override
    public Future<?> handle(StreamConsumer.Delivery<PersistentCall> d) {
      PersistentCall call = d.prepared();
      if (call.marker() == null) {
        return run(d.entry(), call);
      }
      // Redelivered after its run succeeded but before that was recorded, it must not run again.
      return store.isDone(call.marker()).compose(done -> done ? Future.succeededFuture() : run(d.entry(), call));
    }

    @Override
    public Future<Void> acknowledge(EventStore store, String stream, String group, boolean delete,
                                    StreamConsumer.Delivery<PersistentCall> d) {
      String marker = d.prepared().marker();
      return marker == null ? store.ack(stream, group, d.entry().id(), true)
          : store.completeCall(stream, group, d.entry().id(), marker);
    }

    /** Runs the call as a one-way call, on the host's context; fails as the handler did. */
    private Future<Void> run(StreamEntry entry, PersistentCall call) {
      Promise<Void> ended = context.promise();
      context.runOnContext(v -> {
        long id = nextCall++;
        callsRunning.put(id, ended);
        Caller caller = new Caller(null, null, null, entry.publisher());
        String trace = entry.trace();
        CallSpan span = null;
        MeshTracing tracing = calls.tracing();
        if (tracing.enabled()) {
          SpanNames.Named named = SpanNames.of("", namespace, service, call.rpc().method());
          span = tracing.start(named.name(), SpanKind.CONSUMER, trace, named.attributes())
              .set(MeshTracing.INSTANCE, instanceId)
              .set(MeshTracing.CALLER, entry.publisher())
              .set(MeshTracing.MESSAGING_MESSAGE_ID, entry.id());
          trace = span.traceparent();
        }
        // linkId carries the call's number back in its Outcome; the grid 0 makes it one-way.
        Invocation inv = new Invocation(vertx, outcomeAddress, instanceId, id, 0, call.rpc().method(), call.bytes(),
            call.rpc().argsOffset(), call.rpc().argsLength(), Envelope.ABSENT, null, trace, caller, calls).span(span);
        inv.address(call.spec().isOrdered()
            ? orderedAddresses[Math.floorMod(call.spec().name().hashCode(), orderedAddresses.length)]
            : callAddress);
        inv.started(System.nanoTime());
        if (!handOff.send(inv.address(), inv)) {
          callEnded(inv.outcome(Code.UNAVAILABLE.value(), "the service is stopping", null));
        }
      });
      return ended.future();
    }
  }

  private void callEnded(Outcome o) {
    if (o.span() != null) {
      o.span().end(o.code(), o.error());
    }
    if (o.code() == Code.OK.value()) {
      callLog.debug(o.trace(), "Ran a stored call of " + o.method());
    }
    Promise<Void> ended = callsRunning.remove(o.linkId());
    if (ended == null) {
      return;
    }
    if (o.code() == Code.OK.value()) {
      ended.complete();
    } else if (o.code() == Code.INVALID_ARGUMENT.value() || o.code() == Code.UNIMPLEMENTED.value()) {
      ended.fail(new DeadLetterException(Code.of(o.code()) + ": " + o.error()));
    } else {
      ended.fail(MeshException.quiet(Code.of(o.code()), o.error()));
    }
  }
}
