package io.weft.gate.impl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.weft.core.Code;
import io.weft.core.callback.CallbackTable;
import io.weft.core.callback.TaskClock;
import io.weft.core.codec.InnerRpc;
import io.weft.core.conn.MeshConnection;
import io.weft.core.conn.EnvelopeSink;
import io.weft.core.governance.FailMode;
import io.weft.core.governance.RetryPolicy;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.Caller;
import io.weft.core.protocol.Envelope.MethodAccess;
import io.weft.core.protocol.Envelope.RouteRequest;
import io.weft.core.protocol.Envelope.RouteResponse;
import io.weft.core.protocol.Envelope.ServiceCall;
import io.weft.core.protocol.Envelope.ServiceReply;
import io.weft.core.trace.CallLogger;
import io.weft.core.trace.CallSpan;
import io.weft.core.trace.MeshTracing;
import io.weft.core.trace.SpanNames;
import io.weft.core.trace.TraceParent;
import io.opentelemetry.api.trace.SpanKind;
import io.weft.gate.GateOptions;
import io.weft.gate.Rejection;
import io.weft.gate.RouteFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Routes calls of one gate instance: runs the filter chain, picks a service instance (balancer,
 * order key, tags, circuit breakers), forwards the call under a gate id (GRid), and relays its
 * one answer back under the caller's Rid: the reply, 4 when the budget runs out (at the deadline;
 * a later reply is dropped), 14 when no instance can take it or the chosen one is lost.
 * <p>
 * Failed attempts are tried again only as the service's fail mode says, only for methods the
 * instance reported idempotent, with backoff, and never past the call's deadline: a call that
 * is not idempotent is never sent twice, unless a draining instance handed it back unrun
 * ({@code Refused}, PROTOCOL.md section 15): then it goes to another instance, whatever the
 * method and the fail mode. {@code InnerRpc} and {@code Reply} pass through as
 * bytes, copied once from the frame that brought them into the frame that takes them on (and
 * kept aside only when a retry may need them).
 * <p>
 * Every call carries a {@code traceparent} on: the caller's, or a new one when it sent none or a
 * malformed one; with tracing on, the gate's own span of the call (a child of the caller's) is
 * what the instance sees as its parent.
 */
public final class Router {

  private static final ByteBuf NIL = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] {(byte) 0xc0}));
  /** Attempts of one call, redirects included, beyond which a refusal is answered as it came. */
  private static final int MAX_ATTEMPTS = 16;
  private static final CallLogger callLog = CallLogger.get(Router.class);
  /** Methods with a span name of their own; clients may invent more. */
  private static final int MAX_SPAN_NAMES = 10_000;

  private final Vertx vertx;
  private final GateOptions options;
  private final ServiceDirectory directory;
  private final List<RouteFilter> filters;
  private final CallbackTable<PendingRoute> calls;
  private final MeshTracing tracing;
  private final SpanNames spanNames = new SpanNames("route ", MAX_SPAN_NAMES);
  private final List<ServiceLink> scratch = new ArrayList<>();
  private long routed;
  private long rejected;
  private long retried;
  /** Set once the gate knows its id, before it takes calls. */
  private GateMeters meters;
  private long redirected;

  public Router(Vertx vertx, GateOptions options, ServiceDirectory directory, List<RouteFilter> filters) {
    this(vertx, options, directory, filters, MeshTracing.OFF);
  }

  public Router(Vertx vertx, GateOptions options, ServiceDirectory directory, List<RouteFilter> filters,
                MeshTracing tracing) {
    this.vertx = vertx;
    this.tracing = tracing;
    this.options = options;
    this.directory = directory;
    this.filters = List.copyOf(filters);
    this.calls = new CallbackTable<>(vertx, options.getTickMs(), this::expired);
  }

  /** The gate's meters, where every call from now on is counted. */
  public void meters(GateMeters meters) {
    this.meters = meters;
  }

  /**
   * Routes a call from a client or (s2s) a service, answering on {@code origin}; {@code pins}
   * are the origin's order-key bindings.
   */
  public void route(EnvelopeSink origin, Caller caller, OrderPins pins, String connectionId, boolean fromService,
                    RouteRequest r) {
    route(origin, caller, pins, connectionId, fromService, null, r);
  }

  /**
   * As above, counting the call against {@code counter} (a client connection's calls in flight):
   * over its limit, the call is answered 8 at once.
   */
  public void route(EnvelopeSink origin, Caller caller, OrderPins pins, String connectionId, boolean fromService,
                    CallCounter counter, RouteRequest r) {
    long received = TaskClock.nanoTime();
    GateMeters m = meters;
    if (m != null && !fromService) {
      m.clientRequests.increment();
    }
    if (r.namespace() == null || r.namespace().isEmpty() || r.serviceName() == null || r.serviceName().isEmpty()
        || r.innerRpc() == null) {
      reject(origin, r, Code.INVALID_ARGUMENT, "a route needs Namespace, ServiceName and InnerRpc");
      return;
    }
    FailMode requestedMode;
    try {
      requestedMode = FailMode.fromName(r.failMode());
    } catch (IllegalArgumentException e) {
      reject(origin, r, Code.INVALID_ARGUMENT, e.getMessage());
      return;
    }
    long timeout = r.timeoutMs() == Envelope.ABSENT ? options.getCallTimeoutMs()
        : Math.min(r.timeoutMs(), options.getMaxCallTimeoutMs());
    if (counter != null && !counter.tryAcquire()) {
      reject(origin, r, Code.RESOURCE_EXHAUSTED, "too many calls in flight on this connection");
      return;
    }
    PendingRoute call = new PendingRoute(origin, caller, pins, connectionId, fromService, r, timeout, received);
    call.counter = counter;
    traced(call, r.trace());
    try {
      if (timeout == 0) {
        finish(call, Code.DEADLINE_EXCEEDED.value(), "deadline exceeded before routing", null);
        return;
      }
      for (RouteFilter filter : filters) {
        Rejection rejection = filter.onRoute(call);
        if (rejection != null) {
          finish(call, rejection.code().value(), rejection.error(), null);
          return;
        }
      }
      call.pool = directory.pool(r.namespace(), r.serviceName());
      call.failMode = requestedMode != null ? requestedMode : retryPolicy(call).mode();
      routed++;
      if (m != null) {
        m.routes.increment();
      }
      if (r.broadcast()) {
        broadcast(call, r.innerRpc());
      } else {
        attempt(call, r.innerRpc());
      }
    } finally {
      call.leaveFrame();
    }
  }

  /** Gives the call the {@code Trace} it carries on and, with tracing on, the gate's span. */
  private void traced(PendingRoute call, String incoming) {
    if (tracing.enabled()) {
      SpanNames.Named named = spanNames.get(call.namespace, call.service, call.method());
      CallSpan span = tracing.start(named.name(), SpanKind.SERVER, incoming, named.attributes());
      span.set(MeshTracing.CALLER, call.caller == null ? null : call.caller.client());
      call.span = span;
      call.trace = span.traceparent();
    } else {
      call.trace = TraceParent.continueOrStart(incoming);
    }
    if (incoming != null && !TraceParent.isValid(incoming) && callLog.isDebugEnabled()) {
      callLog.debug(call.trace, "Trace of a call to " + call.namespace + "/" + call.service + " is not a traceparent ("
          + CallLogger.traceId(incoming) + "): started a new trace");
    }
  }

  /** Relays a service's reply to whoever is waiting for it. */
  public void replied(ServiceReply reply) {
    PendingRoute call = calls.complete(reply.grid());
    if (call == null) {
      return;
    }
    if (reply.refused() != null && call.gather == null && redirect(call, reply)) {
      return;
    }
    long now = TaskClock.nanoTime();
    long latency = now - call.attemptStartNanos;
    ServiceLink link = call.link;
    link.recordLatency(latency, now);
    directory.callEnded(link);
    int code = reply.code();
    boolean unhealthy = code == Code.UNAVAILABLE.value() || code == Code.RESOURCE_EXHAUSTED.value()
        || code == Code.INTERNAL.value();
    if (call.pool != null) {
      if (unhealthy) {
        call.pool.failed(link, latency);
      } else {
        call.pool.succeeded(link, latency);
      }
    }
    if (call.gather != null) {
      gathered(call, code, reply.error(), reply.reply());
      return;
    }
    // The instance refused the call without running it (draining, overloaded): safe to move on.
    boolean retryable = code == Code.UNAVAILABLE.value() || code == Code.RESOURCE_EXHAUSTED.value();
    if (retryable && retryLater(call, code, reply.error())) {
      return;
    }
    finish(call, code, reply.error(), reply.reply());
  }

  /**
   * A draining instance handed the call back without running it: it goes to another instance,
   * with the bytes handed back (so no call keeps a copy just in case). Not a failure: the
   * instance's breaker and latency are left alone. False when the refusal cannot be followed (it
   * is not the call sent, or it keeps bouncing): then it is answered as a plain 14.
   */
  private boolean redirect(PendingRoute call, ServiceReply reply) {
    String method = call.method();
    if (call.attempts >= MAX_ATTEMPTS || method == null || !method.equals(InnerRpc.peekMethod(reply.refused()))) {
      return false;
    }
    ServiceLink link = call.link;
    directory.callEnded(link);
    directory.draining(link);
    call.lastCode = reply.code();
    call.lastError = reply.error();
    call.releasePin();
    redirected++;
    // The refused bytes are valid while this frame is handled: attempt() sends them at once.
    attempt(call, reply.refused());
    return true;
  }

  /** Answers, retries or fails over every call in flight on a link that was lost. */
  public void lost(ServiceLink link) {
    calls.removeIf(c -> c.link == link, call -> {
      long latency = TaskClock.nanoTime() - call.attemptStartNanos;
      directory.callEnded(link);
      if (call.pool != null) {
        call.pool.failed(link, latency);
      }
      String error = "instance " + link.id() + " was lost";
      if (call.gather != null) {
        gathered(call, Code.UNAVAILABLE.value(), error, null);
      } else if (!retryLater(call, Code.UNAVAILABLE.value(), error)) {
        finish(call, Code.UNAVAILABLE.value(), error, null);
      }
    });
  }

  /** Answers every call in flight with 14: the gate is stopping. */
  public void close() {
    calls.close(call -> {
      directory.callEnded(call.link);
      if (call.gather != null) {
        gathered(call, Code.UNAVAILABLE.value(), "gate is stopping", null);
      } else {
        finish(call, Code.UNAVAILABLE.value(), "gate is stopping", null);
      }
    });
  }

  private void expired(PendingRoute call) {
    long now = TaskClock.nanoTime();
    long latency = now - call.attemptStartNanos;
    // A call that outlived its budget tells the balancer and the breaker this instance is slow.
    call.link.recordLatency(latency, now);
    directory.callEnded(call.link);
    if (call.pool != null) {
      call.pool.failed(call.link, latency);
    }
    if (call.gather != null) {
      gathered(call, Code.DEADLINE_EXCEEDED.value(), "deadline exceeded", null);
      return;
    }
    // Only an attempt's own timeout, with budget left, may lead to another attempt.
    if (call.budgetLeftMs() > 0 && retryLater(call, Code.DEADLINE_EXCEEDED.value(), "attempt timed out")) {
      return;
    }
    finish(call, Code.DEADLINE_EXCEEDED.value(), "deadline exceeded", null);
  }

  // ---------------------------------------------------------------- attempts

  private void attempt(PendingRoute call, ByteBuf innerRpc) {
    ServiceLink link = choose(call);
    if (link == null) {
      finish(call, Code.UNAVAILABLE.value(), call.attempts == 0 ? unavailable(call) : call.lastError, null);
      return;
    }
    long remaining = call.budgetLeftMs();
    if (remaining == 0) {
      finish(call, Code.DEADLINE_EXCEEDED.value(), "deadline exceeded", null);
      return;
    }
    call.link = link;
    call.attempts++;
    call.tried(link);
    call.attemptStartNanos = TaskClock.nanoTime();
    long grid = 0;
    if (!call.oneWay()) {
      boolean mayRetry = mayRetry(call);
      // An attempt timeout only serves a call that may try again; any other call waits its whole budget.
      long attemptTimeout = mayRetry ? retryPolicy(call).attemptTimeoutMs() : 0;
      grid = calls.add(call, attemptTimeout > 0 ? Math.min(attemptTimeout, remaining) : remaining);
      link.callStarted();
      if (call.orderKey != null && call.pin == null) {
        call.pin = call.pins.hold(OrderPins.key(link.serviceKey(), call.orderKey), link);
      }
      if (mayRetry) {
        call.retainInnerRpc();
      }
    } else if (call.orderKey != null) {
      call.pins.bind(OrderPins.key(link.serviceKey(), call.orderKey), link);
    }
    link.connection.send(new ServiceCall(grid, innerRpc, remaining, call.orderKey, call.trace, call.caller));
    if (call.oneWay()) {
      outcome(call, Code.OK, null);
    }
  }

  /** The instance for the next attempt, or {@code null} when none can take it. */
  private ServiceLink choose(PendingRoute call) {
    ServicePool pool = call.pool;
    if (pool == null) {
      return null;
    }
    List<ServiceLink> candidates = pool.candidates(call.tags);
    if (candidates.isEmpty()) {
      return null;
    }
    if (call.attempts > 0) {
      if (call.failMode == FailMode.FAILRETRY && call.link.isReady() && candidates.contains(call.link)
          && call.link.breaker.tryAcquirePermission()) {
        return call.link;
      }
      candidates = untried(call, candidates);
    }
    for (int tries = 0; tries < 3 && !candidates.isEmpty(); tries++) {
      ServiceLink link = pick(call, pool, candidates);
      // A half-open circuit lets only its probes through.
      if (link.breaker.tryAcquirePermission()) {
        return link;
      }
      candidates = without(candidates, link);
    }
    return null;
  }

  private ServiceLink pick(PendingRoute call, ServicePool pool, List<ServiceLink> candidates) {
    if (call.orderKey == null) {
      return pool.select(candidates, call.hashKey);
    }
    ServiceLink bound = call.pins.boundLink(OrderPins.key(pool.serviceKey(), call.orderKey));
    return bound != null && candidates.contains(bound) ? bound : pool.selectOrdered(candidates, call.orderKey);
  }

  private List<ServiceLink> untried(PendingRoute call, List<ServiceLink> candidates) {
    List<ServiceLink> fresh = new ArrayList<>(candidates.size());
    for (ServiceLink link : candidates) {
      if (!call.wasTried(link)) {
        fresh.add(link);
      }
    }
    // With every instance tried, any of them may take the next attempt.
    return fresh.isEmpty() ? candidates : fresh;
  }

  private List<ServiceLink> without(List<ServiceLink> candidates, ServiceLink link) {
    List<ServiceLink> rest = new ArrayList<>(candidates);
    rest.remove(link);
    return rest;
  }

  /** True when the call's mode allows another attempt and its method is safe to run twice. */
  private boolean mayRetry(PendingRoute call) {
    if (call.oneWay() || (call.failMode != FailMode.FAILOVER && call.failMode != FailMode.FAILRETRY)) {
      return false;
    }
    MethodAccess access = call.link == null ? null : call.link.method(call.method());
    return access != null && access.idempotent();
  }

  /** Schedules another attempt if one is allowed and fits in the budget; false to answer now. */
  private boolean retryLater(PendingRoute call, int code, String error) {
    call.lastCode = code;
    call.lastError = error;
    RetryPolicy retry = retryPolicy(call);
    if (call.attempts > retry.retries() || !mayRetry(call) || call.retainedInnerRpc == null) {
      return false;
    }
    long backoff = retry.backoffMs() << Math.min(20, call.attempts - 1);
    backoff = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
    if (backoff >= call.budgetLeftMs()) {
      return false;
    }
    retried++;
    if (meters != null) {
      meters.retries.increment();
    }
    ByteBuf innerRpc = Unpooled.wrappedBuffer(call.retainedInnerRpc);
    if (backoff == 0) {
      attempt(call, innerRpc);
    } else {
      vertx.setTimer(backoff, t -> attempt(call, innerRpc));
    }
    return true;
  }

  // ---------------------------------------------------------------- broadcast

  private void broadcast(PendingRoute call, ByteBuf innerRpc) {
    List<ServiceLink> targets = call.pool == null ? List.of() : new ArrayList<>(call.pool.candidates(call.tags));
    if (targets.isEmpty()) {
      finish(call, Code.UNAVAILABLE.value(), unavailable(call), null);
      return;
    }
    BroadcastGather gather = new BroadcastGather(call, targets.size());
    long remaining = call.budgetLeftMs();
    for (ServiceLink link : targets) {
      PendingRoute part = new PendingRoute(call, gather);
      part.pool = call.pool;
      part.link = link;
      part.attempts = 1;
      part.attemptStartNanos = TaskClock.nanoTime();
      long grid = 0;
      if (!call.oneWay()) {
        grid = calls.add(part, remaining);
        link.callStarted();
      }
      link.connection.send(new ServiceCall(grid, innerRpc, remaining, call.orderKey, call.trace, call.caller));
    }
    if (call.oneWay()) {
      outcome(call, Code.OK, null);
    }
  }

  private void gathered(PendingRoute part, int code, String error, ByteBuf reply) {
    BroadcastGather gather = part.gather;
    if (gather.answered(part.link.id(), code, error, reply)) {
      finish(gather.whole, Code.OK.value(), null, gather.reply());
    }
  }

  // ---------------------------------------------------------------- answers

  private void finish(PendingRoute call, int code, String error, ByteBuf reply) {
    if (code != Code.OK.value() && call.failMode == FailMode.FAILSAFE) {
      // failsafe: the caller asked for an empty result rather than an error
      code = Code.OK.value();
      error = null;
      reply = NIL.duplicate();
    }
    call.releasePin();
    if (code != Code.OK.value()) {
      rejected++;
    }
    if (!call.oneWay()) {
      call.origin.send(new RouteResponse(call.rid, code, error, reply));
    }
    outcome(call, Code.of(code), error);
  }

  private void outcome(PendingRoute call, Code code, String error) {
    if (call.counter != null) {
      call.counter.release();
      call.counter = null;
    }
    long latency = TaskClock.nanoTime() - call.receivedNanos;
    GateMeters m = meters;
    if (m != null) {
      record(m, call, code, latency);
    }
    for (RouteFilter filter : filters) {
      filter.onOutcome(call, code, latency);
    }
    if (call.span != null) {
      call.span.set(MeshTracing.INSTANCE, call.link == null ? null : call.link.id());
      call.span.set(MeshTracing.ATTEMPTS, call.attempts);
      call.span.end(code.value(), error);
      call.span = null;
    }
    if (callLog.isDebugEnabled()) {
      callLog.debug(call.trace, call.namespace + "/" + call.service + "." + call.method()
          + (call.oneWay() ? " sent one-way" : " answered " + code.value()) + (error == null ? "" : " (" + error + ")")
          + " in " + latency / 1000 + " us" + (call.link == null ? "" : " by " + call.link.id())
          + (call.attempts > 1 ? " after " + call.attempts + " attempts" : "")
          + (call.caller == null || call.caller.client() == null ? "" : " for " + call.caller.client()));
    }
  }

  /** Counts the call's answer under its service and method: one lookup, pre-resolved meters. */
  private void record(GateMeters m, PendingRoute call, Code code, long latency) {
    // A call a filter refused has no pool yet; a service no instance ever registered has none at all.
    ServicePool pool = call.pool != null ? call.pool : directory.pool(call.namespace, call.service);
    ServiceStats stats = pool == null ? null : pool.stats();
    if (stats != null) {
      stats.method(call.method()).record(code.value(), latency, call.source());
    } else {
      m.unknownService.unknownMethod.record(code.value(), latency);
    }
  }

  private void reject(EnvelopeSink origin, RouteRequest r, Code code, String error) {
    rejected++;
    if (meters != null) {
      meters.unknownService.unknownMethod.count(code.value());
    }
    if (r.rid() != 0) {
      origin.send(new RouteResponse(r.rid(), code.value(), error, null));
    }
    if (callLog.isDebugEnabled()) {
      callLog.debug(r.trace(), "Refused a route to " + r.namespace() + "/" + r.serviceName() + ": " + code.value()
          + " (" + error + ")");
    }
  }

  private static String unavailable(PendingRoute call) {
    return "no available instance of " + call.namespace + "/" + call.service
        + (call.tags.isEmpty() ? "" : " with tags " + call.tags);
  }

  private RetryPolicy retryPolicy(PendingRoute call) {
    return call.pool != null ? call.pool.policy().retry() : options.policyFor(call.namespace + "/" + call.service).retry();
  }

  public int inFlight() {
    return calls.size();
  }

  public long routedCount() {
    return routed;
  }

  public long rejectedCount() {
    return rejected;
  }

  public long retriedCount() {
    return retried;
  }

  /** Calls a draining instance handed back unrun and that went to another instance. */
  public long redirectedCount() {
    return redirected;
  }

  public long lateReplies() {
    return calls.lateAnswers();
  }
}
