package io.weft.service;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.weft.core.Code;
import io.weft.core.callback.CallbackTable;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.governance.ConcurrencyLimiter;
import io.weft.core.codec.CodecException;
import io.weft.core.codec.InnerRpc;
import io.weft.core.conn.MeshConnection;
import io.weft.core.discovery.AdvertiseHost;
import io.weft.core.discovery.Registration;
import io.weft.core.discovery.ServiceInstance;
import io.weft.core.discovery.ServiceRegistries;
import io.weft.core.discovery.ServiceRegistry;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.AccessReport;
import io.weft.core.protocol.Envelope.RouteResponse;
import io.weft.core.protocol.Envelope.ServiceCall;
import io.weft.core.protocol.Envelope.ServiceReply;
import io.weft.core.events.EventStats;
import io.weft.core.trace.CallLogger;
import io.weft.core.trace.CallSpan;
import io.weft.core.trace.MeshTracing;
import io.weft.core.trace.SpanNames;
import io.opentelemetry.api.trace.SpanKind;
import io.weft.service.impl.GateCalls;
import io.weft.service.impl.HandOff;
import io.weft.service.impl.HostEvents;
import io.weft.service.impl.HostMeters;
import io.weft.service.impl.MethodMeters;
import io.weft.core.events.EventKeys;
import io.weft.core.metrics.MeshMetrics;
import io.weft.service.impl.Invocation;
import io.weft.service.impl.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One instance of a service: the verticle that listens for gates, reports the service's methods,
 * and hands each call to a business verticle, run on that verticle's context ({@code HandOff}).
 * <p>
 * It deploys {@code handlers} instances of the {@link MeshService} for unordered calls and
 * {@code orderedWorkers} more for ordered ones (a call with an {@code OrderKey}, or to a method
 * declared ordered), each of which handles its calls one at a time; the key's hash picks the
 * worker, so calls with one key keep their order while all other calls keep flowing. It registers
 * itself once listening and deregisters first when stopped.
 * <p>
 * The gates that dial the host also carry the calls its service makes to other services
 * ({@link ServiceCalls}, s2s): they go out round robin over the open gate links, and their
 * answers come back on them.
 * <p>
 * {@link #drain()} takes the instance out of service without losing a call (PROTOCOL.md section
 * 15): it tells its gates, which stop sending it calls and acknowledge, deregisters, lets the calls
 * in flight finish (up to {@code drainTimeoutMs}) and then closes its gate connections. A call that
 * still arrives from a gate that has acknowledged is refused with 14 and handed back, so that the
 * gate sends it to another instance. {@code weft run} drains every instance on SIGTERM; a plain
 * undeploy does not wait.
 * <p>
 * Deploy it from a role config ({@code "class"} names the service) or directly:
 * {@code vertx.deployVerticle(new ServiceHost(options, EchoService::new))}.
 */
public class ServiceHost extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(ServiceHost.class);
  private static final CallLogger callLog = CallLogger.get(ServiceHost.class);

  /**
   * How long a draining instance waits for its gates' acknowledgements before it deregisters
   * anyway: a gate that does not know {@code MSG_DRAINING} learns from the registry instead.
   */
  private static final long DEREGISTER_AFTER_MS = 1000;
  /** How often a draining instance checks whether what it waits for is done. */
  private static final long DRAIN_CHECK_MS = 10;

  private final ServiceOptions presetOptions;
  private final Supplier<? extends MeshService> presetFactory;

  private ServiceOptions options;
  private Supplier<? extends MeshService> factory;
  private Map<String, MethodSpec> methods;
  private AccessReport accessReport;
  private String callAddress;
  private String[] orderedAddresses;
  private String replyAddress;
  private String instanceId;
  private NetServer server;
  private ServiceRegistry registry;
  private Registration registration;
  private final HandOff handOff = new HandOff();
  private HandOff.Receiver replies;
  private ConcurrencyLimiter<Invocation> limiter;
  private GateCalls calls;
  private Map<String, SubscriptionSpec<?>> subscriptions = Map.of();
  private HostEvents events;
  private final Map<Long, MeshConnection> links = new HashMap<>();
  private long nextLinkId = 1;
  private HostMeters meters;
  private volatile boolean ready;
  private volatile int gates;
  private volatile boolean draining;
  /** Links whose gate acknowledged the drain: it sends no call after the acknowledgement. */
  private final java.util.Set<Long> drainAcked = new java.util.HashSet<>();
  private io.vertx.core.Promise<Void> drained;
  private Future<Void> drainDeregistered;
  private Future<Void> drainEventsStopped;
  private long drainStartNanos;
  private long drainDeadlineTimer = -1;
  private long drainCheckTimer = -1;
  private long drainDeregisterTimer = -1;
  private long drainRefused;
  private MeshTracing tracing = MeshTracing.OFF;
  /** The names of the spans of this service's methods, made once. */
  private Map<String, SpanNames.Named> spanNames = Map.of();

  /** For deployment from config: {@code config()} holds {@link ServiceOptions} JSON with a {@code class}. */
  public ServiceHost() {
    this(null, null);
  }

  public ServiceHost(ServiceOptions options, Supplier<? extends MeshService> factory) {
    this.presetOptions = options == null ? null : new ServiceOptions(options);
    this.presetFactory = factory;
  }

  @Override
  public Future<?> start() {
    try {
      options = presetOptions != null ? presetOptions : new ServiceOptions(config());
      factory = presetFactory != null ? presetFactory : factoryOf(options.getServiceClass());
      Rpcs declared = factory.get().declared(options.getConfig());
      methods = declared.all();
      subscriptions = declared.subscriptions();
      HostEvents.check(options.getNamespace(), options.getName(), options.getEvents(), subscriptions.values());
      if (options.getTls() != null) {
        options.getTls().checkFiles("tls");
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    String base = "weft.service." + UUID.randomUUID();
    callAddress = base + ".calls";
    replyAddress = base + ".replies";
    orderedAddresses = new String[options.getOrderedWorkers()];
    replies = handOff.register(replyAddress, (ContextInternal) context, this::answered);
    limiter = new ConcurrencyLimiter<>(options.getConcurrency(),
        "concurrency of " + options.getNamespace() + "/" + options.getName(), this::start);
    calls = new GateCalls((ContextInternal) context, options.getNamespace(), options.getCallTimeoutMs(),
        CallbackTable.DEFAULT_TICK_MS);
    calls.pushNamespace(options.getPushNamespace());
    tracing = MeshTracing.forRole(vertx, tracingRole());
    calls.tracing(tracing);
    if (tracing.enabled()) {
      Map<String, SpanNames.Named> names = new HashMap<>();
      methods.keySet().forEach(m -> names.put(m, SpanNames.of("", options.getNamespace(), options.getName(), m)));
      spanNames = names;
    }
    if (options.getEvents().getRedis() != null) {
      events = new HostEvents(vertx, (ContextInternal) context, options.getEvents(), options.getNamespace(),
          options.getName(), methods, subscriptions.values(), callAddress, orderedAddresses, calls, handOff);
      calls.events(events);
    }

    List<Future<?>> deployments = new ArrayList<>();
    deployments.add(deployBusiness(callAddress, false, options.getHandlers()));
    for (int k = 0; k < orderedAddresses.length; k++) {
      orderedAddresses[k] = base + ".ordered." + k;
      deployments.add(deployBusiness(orderedAddresses[k], true, 1));
    }
    registry = ServiceRegistries.create(vertx, options.getRegistry());
    NetServerOptions serverOptions = new NetServerOptions()
        .setHost(options.getHost())
        .setPort(options.getPort())
        .setTcpNoDelay(true);
    if (options.getTls() != null) {
      options.getTls().applyTo(serverOptions);
    }
    server = vertx.createNetServer(serverOptions).connectHandler(this::accepted);
    return Future.all(deployments)
        .compose(v -> server.listen())
        .compose(s -> {
          String host = AdvertiseHost.resolve(options.getHost(), options.getAdvertiseHost());
          ServiceInstance instance = new ServiceInstance(options.getNamespace(), options.getName(), null, host,
              s.actualPort(), options.getWeight(), options.getTags(), options.getVersion(), System.currentTimeMillis());
          instanceId = instance.id();
          measure();
          accessReport = new AccessReport(options.getNamespace(), options.getName(), instanceId, accessOf(methods));
          // Consumers are named after the instance: they start once its id is known.
          return (events == null ? Future.<Void>succeededFuture() : events.start(instanceId))
              .compose(v -> registry.register(instance));
        })
        .onFailure(e -> {
          if (meters != null) {
            meters.close();
          }
        })
        .onSuccess(r -> {
          registration = r;
          ready = true;
          meters.open();
          log.info("Service " + options.getNamespace() + "/" + options.getName() + " serving at " + instanceId
              + " (" + methods.keySet() + ")");
        });
  }

  @Override
  public Future<?> stop() {
    ready = false;
    cancelDrainTimers();
    if (drained != null) {
      drained.tryComplete();
    }
    Future<Void> deregistered = registration == null ? Future.succeededFuture() : registration.deregister();
    return deregistered
        .recover(e -> Future.succeededFuture())
        .compose(v -> events == null ? Future.succeededFuture() : events.stop())
        .compose(v -> server == null ? Future.succeededFuture() : server.close())
        .compose(v -> {
          new ArrayList<>(links.values()).forEach(MeshConnection::close);
          if (calls != null) {
            calls.close();
          }
          if (meters != null) {
            meters.close();
          }
          return registry == null ? Future.succeededFuture() : registry.close();
        });
  }

  private final java.util.List<ServiceInterceptor> interceptors = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Adds a link around every handler of this instance, outside the service's own links; call it
   * before deploying the host.
   */
  public ServiceHost addInterceptor(ServiceInterceptor interceptor) {
    interceptors.add(java.util.Objects.requireNonNull(interceptor, "interceptor"));
    return this;
  }

  /**
   * The instance's meters, once its id is known (before it registers, so before any call): one
   * {@link io.weft.service.impl.MethodMeters} per method, and its events'.
   */
  private void measure() {
    String service = options.getNamespace() + "/" + options.getName();
    meters = new HostMeters(MeshMetrics.of(vertx), kind(), service, instanceId, context, new HostMeters.Host() {
      @Override
      public boolean isReady() {
        return ServiceHost.this.isReady();
      }

      @Override
      public int running() {
        return limiter.inFlight();
      }

      @Override
      public int waiting() {
        return limiter.queued();
      }

      @Override
      public int gates() {
        return gates;
      }
    }, methods.keySet());
    if (events != null) {
      List<String> streams = new ArrayList<>();
      subscriptions.values().forEach(s -> streams.add(EventKeys.topic(s.topic())));
      if (options.getEvents().isPersistentCalls()) {
        streams.add(EventKeys.calls(options.getNamespace(), options.getName()));
      }
      meters.bindEvents(events.stats(), EventKeys.group(options.getNamespace(), options.getName()), streams);
    }
  }

  /**
   * Ready for calls: listening and registered. The one place the instance's readiness is decided
   * (a draining instance is not ready).
   */
  public boolean isReady() {
    return ready && !draining;
  }

  /** What the admin endpoints call this kind of role. */
  protected String kind() {
    return "service";
  }

  /** How this service's spans are named (OpenTelemetry's {@code service.name}): {@code <namespace>/<name>}. */
  protected String tracingRole() {
    return options.getNamespace() + "/" + options.getName();
  }

  /** The registered id ({@code host:port}), once started. */
  public String instanceId() {
    return instanceId;
  }

  /** The port gates connect to, once started. */
  public int actualPort() {
    return server.actualPort();
  }

  private Future<String> deployBusiness(String address, boolean sequential, int instances) {
    DeploymentOptions deployment = new DeploymentOptions()
        .setInstances(instances)
        .setThreadingModel(options.getThreading())
        .setConfig(options.getConfig().copy());
    return vertx.deployVerticle(() -> {
      MeshService service = factory.get();
      service.bind(address, sequential, calls, handOff);
      service.hostInterceptors(interceptors);
      return service;
    }, deployment);
  }

  @SuppressWarnings("unchecked")
  private static Supplier<? extends MeshService> factoryOf(String className) {
    if (className == null || className.isBlank()) {
      throw new IllegalArgumentException("class must name the MeshService to run");
    }
    Class<?> type;
    try {
      type = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("class '" + className + "' is not on the class path");
    }
    if (!MeshService.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException("class '" + className + "' does not extend " + MeshService.class.getName());
    }
    var constructor = ((Class<? extends MeshService>) type);
    try {
      constructor.getDeclaredConstructor();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("class '" + className + "' has no no-arg constructor");
    }
    return () -> {
      try {
        return constructor.getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot create " + className, e);
      }
    };
  }

  private static Map<String, Envelope.MethodAccess> accessOf(Map<String, MethodSpec> methods) {
    Map<String, Envelope.MethodAccess> access = new LinkedHashMap<>();
    methods.forEach((name, spec) -> access.put(name, spec.access()));
    return access;
  }

  private void accepted(NetSocket socket) {
    if (draining) {
      // A gate that has not yet seen the deregistration: it will find another instance.
      socket.close();
      return;
    }
    long linkId = nextLinkId++;
    MeshConnection link = MeshConnection.attach(socket, options.getConnection(), envelope -> received(linkId, envelope));
    links.put(linkId, link);
    // A gate that does not read its replies gets no new calls read from it until it catches up;
    // the gate, seeing its calls pile up unsent, routes elsewhere meanwhile.
    link.writabilityHandler(writable -> link.pauseReading(!writable));
    gates = links.size();
    calls.linkOpened(linkId, link);
    link.closeHandler(reason -> {
      links.remove(linkId);
      gates = links.size();
      drainAcked.remove(linkId);
      calls.linkClosed(linkId);
      gateLinkClosed(linkId);
    });
    link.send(accessReport);
    gateLinkOpened(linkId, link);
  }

  /**
   * A gate connected (after the access report was sent). For hosts that talk to gates beyond
   * calls, such as the push service; runs on the host's context.
   */
  protected void gateLinkOpened(long linkId, MeshConnection link) {
  }

  /** A gate's connection closed. */
  protected void gateLinkClosed(long linkId) {
  }

  /**
   * A frame from a gate that a service host does not handle itself; return true when taken care
   * of. The envelope's buffers are valid only during the call.
   */
  protected boolean gateSent(long linkId, Envelope envelope) {
    return false;
  }

  /** The open connection with this id, or {@code null}. Use it on the host's context. */
  protected final MeshConnection gateLink(long linkId) {
    return links.get(linkId);
  }

  private void received(long linkId, Envelope envelope) {
    switch (envelope) {
      case ServiceCall call -> dispatch(linkId, call);
      case RouteResponse response -> calls.answered(response);
      case Envelope.Draining d -> {
        calls.linkDraining(linkId);
        reply(linkId, Envelope.DrainingAck.INSTANCE);
      }
      case Envelope.DrainingAck a -> {
        if (draining) {
          drainAcked.add(linkId);
          checkDrained();
        }
      }
      case Envelope.UnknownMessage u -> reply(linkId, new Envelope.ErrorNotice(Code.UNIMPLEMENTED.value(),
          "unknown message " + u.name()));
      default -> {
        if (!gateSent(linkId, envelope)) {
          log.debug("Ignoring " + envelope.type() + " from a gate");
        }
      }
    }
  }

  private void dispatch(long linkId, ServiceCall call) {
    long grid = call.grid();
    // Calls refused before their method is known count under the unknown method.
    if (call.innerRpc() == null) {
      meters.unknownMethod().count(Code.INVALID_ARGUMENT.value());
      refuse(linkId, call, Code.INVALID_ARGUMENT, "InnerRpc is missing");
      return;
    }
    if (call.timeoutMs() == 0) {
      meters.unknownMethod().count(Code.DEADLINE_EXCEEDED.value());
      refuse(linkId, call, Code.DEADLINE_EXCEEDED, "deadline exceeded before the call arrived");
      return;
    }
    if (draining && grid != 0 && drainAcked.contains(linkId)) {
      // The gate promised no more calls: whatever still comes is handed back, unrun, to go elsewhere.
      refuse(linkId, grid, call.innerRpc());
      return;
    }
    byte[] bytes = ByteBufUtil.getBytes(call.innerRpc());
    InnerRpc rpc;
    try {
      rpc = ArgsCodec.decodeInnerRpc(bytes);
    } catch (CodecException e) {
      meters.unknownMethod().count(Code.INVALID_ARGUMENT.value());
      refuse(linkId, call, Code.INVALID_ARGUMENT, e.getMessage());
      return;
    }
    MethodSpec spec = methods.get(rpc.method());
    if (spec == null) {
      meters.unknownMethod().count(Code.UNIMPLEMENTED.value());
      refuse(linkId, call, Code.UNIMPLEMENTED, "unknown method " + rpc.method());
      return;
    }
    MethodMeters methodMeters = meters.method(rpc.method());
    String trace = call.trace();
    CallSpan span = null;
    if (tracing.enabled()) {
      SpanNames.Named named = spanNames.get(rpc.method());
      span = tracing.start(named.name(), SpanKind.SERVER, trace, named.attributes())
          .set(MeshTracing.INSTANCE, instanceId)
          .set(MeshTracing.CALLER, call.caller() == null ? null : call.caller().client());
      trace = span.traceparent();
    }
    long now = CallbackTable.nowMs();
    // A budget too large to add to the clock is no deadline at all.
    long deadline = call.timeoutMs() == Envelope.ABSENT || call.timeoutMs() > Long.MAX_VALUE - now
        ? Envelope.ABSENT : now + call.timeoutMs();
    Invocation invocation = new Invocation(vertx, replyAddress, instanceId, linkId, grid, rpc.method(), bytes,
        rpc.argsOffset(), rpc.argsLength(), deadline, call.orderKey(), trace, call.caller(), calls).span(span);
    invocation.address(addressFor(call.orderKey(), spec));
    invocation.meters(methodMeters);
    if (!limiter.offer(invocation)) {
      methodMeters.count(Code.RESOURCE_EXHAUSTED.value());
      String error = "instance " + instanceId + " is at its concurrency limit (" + limiter.limit() + " running, "
          + limiter.queued() + " waiting)";
      fail(linkId, grid, Code.RESOURCE_EXHAUSTED, error);
      if (span != null) {
        span.end(Code.RESOURCE_EXHAUSTED.value(), error);
      }
      callLog.debug(trace, rpc.method() + " refused: " + error);
    }
  }

  /** Answers a call that cannot be handled at all; it gets no span, only a log line. */
  private void refuse(long linkId, ServiceCall call, Code code, String error) {
    fail(linkId, call.grid(), code, error);
    callLog.debug(call.trace(), "Refused a call: " + code.value() + " (" + error + ")");
  }

  private void start(Invocation invocation) {
    invocation.started(System.nanoTime());
    if (!handOff.send(invocation.address(), invocation)) {
      // Its verticles are stopping: the call goes back unrun, like any refused on the way in.
      answered(invocation.outcome(Code.UNAVAILABLE.value(), "instance " + instanceId + " is stopping", null));
    }
  }

  private String addressFor(String orderKey, MethodSpec spec) {
    if (orderKey == null && !spec.isOrdered()) {
      return callAddress;
    }
    // A method declared ordered serializes its key-less calls through one worker.
    String key = orderKey != null ? orderKey : spec.name();
    return orderedAddresses[Math.floorMod(key.hashCode(), orderedAddresses.length)];
  }

  private void answered(Outcome o) {
    long elapsed = System.nanoTime() - o.startedNanos();
    limiter.release(o.startedNanos(), elapsed, o.code() == Code.DEADLINE_EXCEEDED.value());
    if (o.meters() != null) {
      o.meters().record(o.code(), elapsed);
    }
    if (o.grid() != 0) {
      reply(o.linkId(), new ServiceReply(o.grid(), o.code(), o.error(),
          o.reply() == null ? null : Unpooled.wrappedBuffer(o.reply())));
    }
    if (o.span() != null) {
      o.span().end(o.code(), o.error());
    }
    if (callLog.isDebugEnabled()) {
      callLog.debug(o.trace(), o.method() + (o.grid() == 0 ? " ran one-way: " : " answered ") + o.code()
          + (o.error() == null ? "" : " (" + o.error() + ")") + " in " + elapsed / 1000 + " us");
    }
  }

  /** Calls running and waiting on this instance, against its limit: read on the host's context. */
  public int running() {
    return limiter.inFlight();
  }

  public int waiting() {
    return limiter.queued();
  }

  /**
   * What this instance published and consumed: counters and gauges to bind to metrics; empty
   * when the service has no Redis for events.
   */
  public EventStats eventStats() {
    return events == null ? new EventStats() : events.stats();
  }

  // ---------------------------------------------------------------- drain

  /** True from the start of {@link #drain()}: the instance is leaving and takes no new gates. */
  public boolean isDraining() {
    return draining;
  }

  /**
   * Takes the instance out of service without losing a call: tells every connected gate
   * ({@code MSG_DRAINING}), which stops choosing it and acknowledges; deregisters once they all
   * have (or after a second); stops consuming events; waits for the calls in flight, and those
   * this instance made, to be answered; then closes the gate connections. After
   * {@code drainTimeoutMs} it closes them anyway: calls still waiting to start are handed back
   * unrun (14, retried elsewhere by the gate), running ones are answered by the gate as lost.
   * Completes when done; calling it again returns the same future. Undeploy afterwards.
   */
  public Future<Void> drain() {
    io.vertx.core.Promise<Void> result = io.vertx.core.Promise.promise();
    context.runOnContext(v -> startDrain().onComplete(result));
    return result.future();
  }

  private Future<Void> startDrain() {
    if (drained != null) {
      return drained.future();
    }
    drained = ((ContextInternal) context).promise();
    if (server == null || registry == null) {
      drained.complete();
      return drained.future();
    }
    draining = true;
    drainStartNanos = System.nanoTime();
    log.info("Service " + options.getNamespace() + "/" + options.getName() + " at " + instanceId + " draining: "
        + links.size() + " gate connection(s), " + (limiter.inFlight() + limiter.queued()) + " call(s) in flight, "
        + "up to " + options.getDrainTimeoutMs() + " ms");
    for (MeshConnection link : links.values()) {
      link.send(Envelope.Draining.INSTANCE);
    }
    drainEventsStopped = events == null ? Future.succeededFuture() : events.stop().recover(e -> Future.succeededFuture());
    drainDeadlineTimer = vertx.setTimer(Math.max(1, options.getDrainTimeoutMs()), t -> {
      drainDeadlineTimer = -1;
      finishDrain(true);
    });
    drainDeregisterTimer = vertx.setTimer(Math.min(DEREGISTER_AFTER_MS, Math.max(1, options.getDrainTimeoutMs())), t -> {
      drainDeregisterTimer = -1;
      deregisterForDrain();
    });
    drainCheckTimer = vertx.setPeriodic(DRAIN_CHECK_MS, t -> checkDrained());
    checkDrained();
    return drained.future();
  }

  private void deregisterForDrain() {
    if (drainDeregistered == null) {
      drainDeregistered = registration == null ? Future.succeededFuture()
          : registration.deregister().recover(e -> {
            log.warn("Could not deregister " + instanceId + " while draining: " + e.getMessage());
            return Future.succeededFuture();
          });
    }
  }

  /** Finishes the drain once every gate has acknowledged and nothing is left in flight. */
  private void checkDrained() {
    if (drained == null || drained.future().isComplete()) {
      return;
    }
    if (!drainAcked.containsAll(links.keySet())) {
      return;
    }
    deregisterForDrain();
    if (drainDeregistered.isComplete() && drainEventsStopped.isComplete() && limiter.inFlight() == 0
        && limiter.queued() == 0 && calls.inFlight() == 0) {
      finishDrain(false);
    }
  }

  private void finishDrain(boolean deadline) {
    if (drained == null || drained.future().isComplete()) {
      return;
    }
    cancelDrainTimers();
    deregisterForDrain();
    long ms = (System.nanoTime() - drainStartNanos) / 1_000_000;
    if (deadline) {
      limiter.drainQueue(invocation -> refuse(invocation.linkId(), invocation.grid(),
          Unpooled.wrappedBuffer(invocation.bytes())));
      log.warn("Service " + options.getNamespace() + "/" + options.getName() + " at " + instanceId
          + " reached its drain timeout (" + options.getDrainTimeoutMs() + " ms) with " + limiter.inFlight()
          + " call(s) still running and " + calls.inFlight() + " call(s) of its own in flight: closing anyway");
    } else {
      log.info("Service " + options.getNamespace() + "/" + options.getName() + " at " + instanceId + " drained in "
          + ms + " ms" + (drainRefused == 0 ? "" : " (" + drainRefused + " late call(s) handed back)"));
    }
    new ArrayList<>(links.values()).forEach(MeshConnection::close);
    server.close().onComplete(v -> drained.tryComplete());
  }

  private void cancelDrainTimers() {
    for (long timer : new long[] {drainDeadlineTimer, drainCheckTimer, drainDeregisterTimer}) {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
    }
    drainDeadlineTimer = -1;
    drainCheckTimer = -1;
    drainDeregisterTimer = -1;
  }

  /** Answers 14 handing the call's {@code InnerRpc} back: it did not run, the gate may send it elsewhere. */
  private void refuse(long linkId, long grid, io.netty.buffer.ByteBuf innerRpc) {
    drainRefused++;
    if (grid != 0) {
      reply(linkId, new ServiceReply(grid, Code.UNAVAILABLE.value(), "instance " + instanceId + " is draining", null,
          innerRpc));
    }
  }

  private void fail(long linkId, long grid, Code code, String error) {
    if (grid != 0) {
      reply(linkId, new ServiceReply(grid, code.value(), error, null));
    }
  }

  private void reply(long linkId, Envelope envelope) {
    MeshConnection link = links.get(linkId);
    if (link != null) {
      link.send(envelope);
    }
  }
}
