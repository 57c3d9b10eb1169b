package io.weft.service.impl;

import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.callback.CallbackTable;
import io.weft.core.client.CallOptions;
import io.weft.core.client.impl.PendingCall;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.codec.CodecException;
import io.weft.core.conn.MeshConnection;
import io.weft.core.events.PersistentCallOptions;
import io.weft.core.events.PublishOptions;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.RouteRequest;
import io.weft.core.protocol.Envelope.RouteResponse;
import io.weft.core.trace.CallLogger;
import io.weft.core.trace.CallSpan;
import io.weft.core.trace.MeshTracing;
import io.weft.core.trace.SpanNames;
import io.opentelemetry.api.trace.SpanKind;
import io.weft.service.ServiceCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The calls a {@link io.weft.service.ServiceHost} makes to other services (s2s), and the gate
 * links they go out on: one per gate instance that dialled the host.
 * <p>
 * Its state (the links, the table of calls in flight) is confined to the host's context: the
 * host reports links and answers there, and a call made on a business verticle's context (event
 * loop, worker or virtual thread) hops there to be sent. The call's future belongs to the context
 * it was made on, and a reply is decoded there too: the host's event loop only moves bytes.
 * <p>
 * As a {@link ServiceCalls} it makes calls with no parent (from {@code MeshService.calls()});
 * {@link Invocation} makes them on behalf of a handler with {@link #call(String, long, String,
 * String, String, Object, Class, CallOptions)}.
 * <p>
 * With tracing on, each call is a client span, a child of the handler's, whose
 * {@code traceparent} is the call's {@code Trace}; the gate's span of the call is its child.
 */
public final class GateCalls implements ServiceCalls {

  private static final CallLogger callLog = CallLogger.get(GateCalls.class);
  private static final int MAX_SPAN_NAMES = 10_000;

  private final ContextInternal hostContext;
  private final String namespace;
  private final long defaultTimeoutMs;
  private final CallbackTable<OutboundCall> calls;
  /** The open links, in the order they opened. */
  private final List<Link> links = new ArrayList<>();
  private long nextLink;
  private boolean closed;
  private MeshTracing tracing = MeshTracing.OFF;
  /** Span names of the calls made, on the host's context. */
  private final SpanNames spanNames = new SpanNames("call ", MAX_SPAN_NAMES);

  /**
   * Create it on the host's context.
   *
   * @param defaultTimeoutMs the budget of a call whose options set none (capped by the parent's)
   */
  public GateCalls(ContextInternal hostContext, String namespace, long defaultTimeoutMs, long tickMs) {
    this.hostContext = Objects.requireNonNull(hostContext, "hostContext");
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.defaultTimeoutMs = defaultTimeoutMs;
    this.calls = new CallbackTable<>(hostContext.owner(), tickMs, this::expired);
  }

  @Override
  public String namespace() {
    return namespace;
  }

  private String pushNamespace = io.weft.service.Pushes.DEFAULT_NAMESPACE;

  /** Where this host's services push through. */
  public GateCalls pushNamespace(String pushNamespace) {
    this.pushNamespace = Objects.requireNonNull(pushNamespace, "pushNamespace");
    return this;
  }

  @Override
  public String pushNamespace() {
    return pushNamespace;
  }

  @Override
  public <T> Future<T> call(String namespace, String service, String method, Object args, Class<T> replyType,
                            CallOptions options) {
    return call(null, Envelope.ABSENT, namespace, service, method, args, replyType, options);
  }

  @Override
  public void send(String namespace, String service, String method, Object args, CallOptions options) {
    send(null, Envelope.ABSENT, namespace, service, method, args, options);
  }

  /** How this host records spans. */
  public MeshTracing tracing() {
    return tracing;
  }

  /** Records a client span per call; set it before the host takes calls. */
  public GateCalls tracing(MeshTracing tracing) {
    this.tracing = Objects.requireNonNull(tracing, "tracing");
    return this;
  }

  private volatile HostEvents events;

  /** Where this host's services publish and store persistent calls; {@code null} (no Redis): they fail with 14. */
  public GateCalls events(HostEvents events) {
    this.events = events;
    return this;
  }

  @Override
  public Future<String> publish(String topic, Object event, PublishOptions options) {
    return publish(null, topic, event, options);
  }

  @Override
  public Future<String> callPersistent(String namespace, String service, String method, Object args,
                                       PersistentCallOptions options) {
    return callPersistent(null, namespace, service, method, args, options);
  }

  /** A publish made while handling a call or an event: it carries on {@code parentTrace} unless the options set one. */
  public Future<String> publish(String parentTrace, String topic, Object event, PublishOptions options) {
    Objects.requireNonNull(options, "options");
    ContextInternal caller = callerContext();
    HostEvents e = events;
    if (e == null) {
      return caller.failedFuture(HostEvents.noRedis());
    }
    return e.publish(caller, options.trace() != null ? options.trace() : parentTrace, topic, event, options.key());
  }

  /** A persistent call made while handling a call or an event, carrying on its trace. */
  public Future<String> callPersistent(String parentTrace, String namespace, String service, String method,
                                       Object args, PersistentCallOptions options) {
    Objects.requireNonNull(options, "options");
    ContextInternal caller = callerContext();
    HostEvents e = events;
    if (e == null) {
      return caller.failedFuture(HostEvents.noRedis());
    }
    return e.callPersistent(caller, options.trace() != null ? options.trace() : parentTrace, namespace, service,
        method, args, options.messageId());
  }

  /**
   * A call made while handling another: it carries on {@code parentTrace} (unless the options
   * set a trace) and its budget never reaches past {@code parentDeadlineMs}.
   *
   * @param parentDeadlineMs on {@link CallbackTable#nowMs()}'s clock, or {@link Envelope#ABSENT}
   */
  public <T> Future<T> call(String parentTrace, long parentDeadlineMs, String namespace, String service,
                            String method, Object args, Class<T> replyType, CallOptions options) {
    Objects.requireNonNull(replyType, "replyType");
    Objects.requireNonNull(options, "options");
    ContextInternal caller = callerContext();
    byte[] innerRpc;
    try {
      innerRpc = ArgsCodec.encodeInnerRpc(method, args);
    } catch (CodecException e) {
      return caller.failedFuture(MeshException.of(Code.INVALID_ARGUMENT, e.getMessage()));
    }
    long deadline = deadline(parentDeadlineMs, options);
    if (deadline <= CallbackTable.nowMs()) {
      return caller.failedFuture(noBudget(namespace, service));
    }
    Promise<T> promise = caller.promise();
    OutboundCall pending = new OutboundCall(promise, replyType, caller);
    String trace = options.trace() != null ? options.trace() : parentTrace;
    hostContext.runOnContext(v -> submit(namespace, service, method, innerRpc, deadline, options, trace, pending));
    return promise.future();
  }

  /**
   * A one-way call made while handling another, with the same trace and budget as
   * {@link #call(String, long, String, String, String, Object, Class, CallOptions)}.
   */
  public void send(String parentTrace, long parentDeadlineMs, String namespace, String service, String method,
                   Object args, CallOptions options) {
    Objects.requireNonNull(options, "options");
    byte[] innerRpc;
    try {
      innerRpc = ArgsCodec.encodeInnerRpc(method, args);
    } catch (CodecException e) {
      throw MeshException.of(Code.INVALID_ARGUMENT, e.getMessage());
    }
    long deadline = deadline(parentDeadlineMs, options);
    if (deadline <= CallbackTable.nowMs()) {
      return;
    }
    String trace = options.trace() != null ? options.trace() : parentTrace;
    hostContext.runOnContext(v -> submit(namespace, service, method, innerRpc, deadline, options, trace, null));
  }

  /** The sooner of the options' budget (or the default) and the parent's deadline. */
  private long deadline(long parentDeadlineMs, CallOptions options) {
    long now = CallbackTable.nowMs();
    long budget = options.timeoutMs() > 0 ? options.timeoutMs() : defaultTimeoutMs;
    long own = budget > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + budget;
    return parentDeadlineMs == Envelope.ABSENT ? own : Math.min(own, parentDeadlineMs);
  }

  /** The context the call's future completes on: the caller's, or a new one off any Vert.x thread. */
  private ContextInternal callerContext() {
    return hostContext.owner().getOrCreateContext();
  }

  /** On the host's context. {@code pending} is {@code null} for a one-way call. */
  private void submit(String namespace, String service, String method, byte[] innerRpc, long deadlineMs,
                      CallOptions options, String trace, OutboundCall pending) {
    CallSpan span = null;
    if (tracing.enabled()) {
      SpanNames.Named named = spanNames.get(namespace, service, method);
      span = tracing.start(named.name(), SpanKind.CLIENT, trace, named.attributes());
      trace = span.traceparent();
      if (pending != null) {
        pending.span = span;
      }
    }
    if (closed) {
      failOrDrop(pending, span, trace, Code.UNAVAILABLE, "the service is stopping");
      return;
    }
    long timeout = deadlineMs - CallbackTable.nowMs();
    if (timeout <= 0) {
      failOrDrop(pending, span, trace, Code.DEADLINE_EXCEEDED, "no budget left to call " + namespace + "/" + service);
      return;
    }
    Link link = nextLink();
    if (link == null) {
      failOrDrop(pending, span, trace, Code.UNAVAILABLE,
          "no gate connection to call " + namespace + "/" + service + " through");
      return;
    }
    long rid = 0;
    if (pending != null) {
      pending.linkId = link.id;
      rid = calls.add(pending, timeout + PendingCall.LOCAL_DEADLINE_GRACE_MS);
    }
    link.connection.send(new RouteRequest(rid, namespace, service, Unpooled.wrappedBuffer(innerRpc), timeout,
        options.orderKey(), options.hashKey(), options.tags(), trace));
    if (pending == null && span != null) {
      span.end(Code.OK.value(), null);
    }
  }

  /**
   * The next open link, round robin, passing over links to draining gates while another is open;
   * {@code null} when there is none.
   */
  private Link nextLink() {
    int n = links.size();
    Link fallback = null;
    for (int i = 0; i < n; i++) {
      Link link = links.get(Math.floorMod(nextLink++, n));
      if (link.connection.isOpen()) {
        if (!link.gateDraining) {
          return link;
        }
        if (fallback == null) {
          fallback = link;
        }
      }
    }
    // A draining gate still serves calls until it closes: better than no gate at all.
    return fallback;
  }

  private static void failOrDrop(OutboundCall pending, CallSpan span, String trace, Code code, String error) {
    if (pending != null) {
      pending.failWith(MeshException.quiet(code, error));
      return;
    }
    if (span != null) {
      span.end(code.value(), error);
    }
    callLog.debug(trace, "Dropping a one-way call: " + error);
  }

  private static MeshException noBudget(String namespace, String service) {
    return MeshException.quiet(Code.DEADLINE_EXCEEDED, "no budget left to call " + namespace + "/" + service);
  }

  /** A gate dialled the host. On the host's context. */
  public void linkOpened(long linkId, MeshConnection connection) {
    links.add(new Link(linkId, connection));
  }

  /**
   * The gate behind a link is draining (it sent {@code MSG_DRAINING}): new calls go out on other
   * links while there are any. On the host's context.
   */
  public void linkDraining(long linkId) {
    for (Link link : links) {
      if (link.id == linkId) {
        link.gateDraining = true;
      }
    }
  }

  /** Calls sent and not yet answered. On the host's context. */
  public int inFlight() {
    return calls.size();
  }

  /** A gate link closed: its calls in flight are answered 14 now. On the host's context. */
  public void linkClosed(long linkId) {
    links.removeIf(l -> l.id == linkId);
    calls.removeIf(p -> p.linkId == linkId, p -> p.failWith(MeshException.quiet(Code.UNAVAILABLE,
        "the gate connection the call went out on was lost")));
  }

  /** A gate's answer to a call. On the host's context, while the frame is valid. */
  public void answered(RouteResponse response) {
    OutboundCall pending = calls.complete(response.rid());
    if (pending != null) {
      pending.answered(response);
      pending.ended(response.code(), response.error());
    }
  }

  /** Answers every call in flight with 14 and refuses new ones: the host is stopping. */
  public void close() {
    closed = true;
    calls.close(p -> p.failWith(MeshException.quiet(Code.UNAVAILABLE, "the service is stopping")));
  }

  private void expired(OutboundCall pending) {
    pending.failWith(MeshException.quiet(Code.DEADLINE_EXCEEDED, "no reply within the call's budget"));
  }

  private static final class Link {
    final long id;
    final MeshConnection connection;
    boolean gateDraining;

    Link(long id, MeshConnection connection) {
      this.id = id;
      this.connection = connection;
    }
  }

  /** A call in flight: it went out on {@code linkId}; its reply is decoded on the caller's context. */
  private static final class OutboundCall extends PendingCall {
    private final ContextInternal caller;
    private long linkId;
    /** The client span of the call, ended with its answer. */
    private CallSpan span;

    OutboundCall(Promise<?> promise, Class<?> replyType, ContextInternal caller) {
      super(promise, replyType);
      this.caller = caller;
    }

    @Override
    protected void succeed(byte[] reply) {
      caller.runOnContext(v -> complete(reply));
    }

    void failWith(MeshException e) {
      fail(e);
      ended(e.code().value(), e.getMessage());
    }

    void ended(int code, String error) {
      if (span != null) {
        span.end(code, error);
        span = null;
      }
    }
  }
}
