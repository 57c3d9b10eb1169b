package io.weft.gate.impl;

import io.vertx.core.Vertx;
import io.weft.core.Code;
import io.weft.core.callback.CallbackTable;
import io.weft.core.conn.MeshConnection;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.Caller;
import io.weft.core.protocol.Envelope.RouteRequest;
import io.weft.core.protocol.Envelope.RouteResponse;
import io.weft.core.protocol.Envelope.ServiceCall;
import io.weft.core.protocol.Envelope.ServiceReply;
import io.weft.gate.GateOptions;
import java.util.List;

/**
 * Routes calls of one gate instance: picks a service instance, forwards the call under a gate
 * id (GRid) and relays the one answer back under the caller's Rid: the reply, or 4 when the
 * budget runs out (sent at the deadline; a later reply is dropped), or 14 when no instance is
 * routable or the chosen one is lost.
 * <p>
 * {@code InnerRpc} and {@code Reply} pass through as bytes: they are copied once, from the
 * frame that brought them into the frame that takes them on.
 */
public final class Router {

  private final GateOptions options;
  private final ServiceDirectory directory;
  private final CallbackTable<PendingRoute> calls;
  private long routed;
  private long rejected;

  public Router(Vertx vertx, GateOptions options, ServiceDirectory directory) {
    this.options = options;
    this.directory = directory;
    this.calls = new CallbackTable<>(vertx, options.getTickMs(), this::expired);
  }

  /**
   * Routes a call from a client or (s2s) a service, answering on {@code origin}; {@code pins}
   * are the origin's order-key bindings.
   */
  public void route(MeshConnection origin, Caller caller, OrderPins pins, RouteRequest r) {
    long rid = r.rid();
    if (r.namespace() == null || r.namespace().isEmpty() || r.serviceName() == null || r.serviceName().isEmpty()
        || r.innerRpc() == null) {
      answer(origin, rid, Code.INVALID_ARGUMENT, "a route needs Namespace, ServiceName and InnerRpc");
      return;
    }
    long timeout = r.timeoutMs() == Envelope.ABSENT ? options.getCallTimeoutMs()
        : Math.min(r.timeoutMs(), options.getMaxCallTimeoutMs());
    if (timeout == 0) {
      answer(origin, rid, Code.DEADLINE_EXCEEDED, "deadline exceeded before routing");
      return;
    }
    ServicePool pool = directory.pool(r.namespace(), r.serviceName());
    List<ServiceLink> candidates = pool == null ? List.of() : pool.candidates(r.tags());
    if (candidates.isEmpty()) {
      answer(origin, rid, Code.UNAVAILABLE, "no available instance of " + r.namespace() + "/" + r.serviceName()
          + (r.tags().isEmpty() ? "" : " with tags " + r.tags()));
      return;
    }
    ServiceLink link;
    String pinKey = null;
    if (r.orderKey() != null) {
      pinKey = OrderPins.key(pool.serviceKey(), r.orderKey());
      link = pins.boundLink(pinKey);
      if (link == null || !candidates.contains(link)) {
        link = pool.selectOrdered(candidates, r.orderKey());
      }
    } else {
      link = pool.select(candidates, r.hashKey());
    }
    routed++;
    long grid = 0;
    if (rid != 0) {
      OrderPins.Pin pin = pinKey == null ? null : pins.hold(pinKey, link);
      grid = calls.add(new PendingRoute(origin, rid, link, System.nanoTime(), pins, pin), timeout);
      link.callStarted();
    } else if (pinKey != null) {
      pins.bind(pinKey, link);
    }
    link.connection.send(new ServiceCall(grid, r.innerRpc(), timeout, r.orderKey(), r.trace(), caller));
  }

  /** Relays a service's reply to whoever is waiting for it. */
  public void replied(ServiceReply reply) {
    PendingRoute pending = calls.complete(reply.grid());
    if (pending == null) {
      return;
    }
    long now = System.nanoTime();
    pending.link.recordLatency(now - pending.startNanos, now);
    ended(pending);
    pending.origin.send(new RouteResponse(pending.rid, reply.code(), reply.error(), reply.reply()));
  }

  /** Answers 14 at once for every call in flight on a link that was lost. */
  public void lost(ServiceLink link) {
    calls.removeIf(p -> p.link == link, p -> {
      ended(p);
      answer(p.origin, p.rid, Code.UNAVAILABLE, "instance " + link.id() + " was lost");
    });
  }

  /** Answers every call in flight with 14: the gate is stopping. */
  public void close() {
    calls.close(p -> {
      ended(p);
      answer(p.origin, p.rid, Code.UNAVAILABLE, "gate is stopping");
    });
  }

  private void expired(PendingRoute pending) {
    long now = System.nanoTime();
    // A call that outlived its budget tells the balancer this instance is slow.
    pending.link.recordLatency(now - pending.startNanos, now);
    ended(pending);
    answer(pending.origin, pending.rid, Code.DEADLINE_EXCEEDED, "deadline exceeded");
  }

  private void ended(PendingRoute pending) {
    pending.releasePin();
    directory.callEnded(pending.link);
  }

  private void answer(MeshConnection origin, long rid, Code code, String error) {
    if (code != Code.OK) {
      rejected++;
    }
    if (rid != 0) {
      origin.send(new RouteResponse(rid, code.value(), error, null));
    }
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

  public long lateReplies() {
    return calls.lateAnswers();
  }
}
