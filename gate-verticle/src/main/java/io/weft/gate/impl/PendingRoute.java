package io.weft.gate.impl;

import io.netty.buffer.ByteBuf;
import io.weft.core.callback.CallbackTable;
import io.weft.core.codec.InnerRpc;
import io.weft.core.conn.EnvelopeSink;
import io.weft.core.governance.FailMode;
import io.weft.core.protocol.Envelope.Caller;
import io.weft.core.protocol.Envelope.RouteRequest;
import io.weft.core.trace.CallSpan;
import io.weft.gate.RouteCall;
import java.util.Map;

/**
 * One call the gate is routing, from its arrival to its one answer, across its attempts: what
 * the filters see of it, where the answer goes, and what a retry needs.
 */
final class PendingRoute extends CallbackTable.Entry implements RouteCall {

  final EnvelopeSink origin;
  final Caller caller;
  final OrderPins pins;
  final String connectionId;
  final boolean fromService;
  final long rid;
  final String namespace;
  final String service;
  final String orderKey;
  final String hashKey;
  final Map<String, String> tags;
  /** The {@code Trace} the call carries on: the client's, a new one, or the gate's span (set by the router). */
  String trace;
  /** The gate's span of the call, when it records spans. */
  CallSpan span;
  final long receivedNanos;
  /** The call's own deadline, on {@link CallbackTable#nowMs()}'s clock. */
  final long deadlineMs;
  /** The {@code InnerRpc} of the request while it is being routed (a view of its frame). */
  private ByteBuf frameInnerRpc;
  private String method;
  private boolean methodRead;

  FailMode failMode;
  ServicePool pool;
  /** The instance of the current attempt. */
  ServiceLink link;
  long attemptStartNanos;
  int attempts;
  /** The instances tried, for failover. */
  ServiceLink[] tried = new ServiceLink[2];
  /** A copy of {@code InnerRpc} kept only when the call may be attempted again. */
  byte[] retainedInnerRpc;
  /** The binding of the call's order key while it is in flight. */
  OrderPins.Pin pin;
  /** The last failure, answered if no attempt is left. */
  int lastCode;
  String lastError;
  /** The caller's count of calls in flight, released once the call is answered. */
  CallCounter counter;
  /** For one instance's part of a broadcast: the gathering call. */
  BroadcastGather gather;

  PendingRoute(EnvelopeSink origin, Caller caller, OrderPins pins, String connectionId, boolean fromService,
               RouteRequest r, long timeoutMs, long receivedNanos) {
    this.origin = origin;
    this.caller = caller;
    this.pins = pins;
    this.connectionId = connectionId;
    this.fromService = fromService;
    this.rid = r.rid();
    this.namespace = r.namespace();
    this.service = r.serviceName();
    this.orderKey = r.orderKey();
    this.hashKey = r.hashKey();
    this.tags = r.tags();
    this.frameInnerRpc = r.innerRpc();
    this.receivedNanos = receivedNanos;
    this.deadlineMs = CallbackTable.nowMs() + timeoutMs;
  }

  /** A part of a broadcast: the same call, to one instance. */
  PendingRoute(PendingRoute whole, BroadcastGather gather) {
    this.origin = whole.origin;
    this.caller = whole.caller;
    this.pins = whole.pins;
    this.connectionId = whole.connectionId;
    this.fromService = whole.fromService;
    this.rid = whole.rid;
    this.namespace = whole.namespace;
    this.service = whole.service;
    this.orderKey = whole.orderKey;
    this.hashKey = whole.hashKey;
    this.tags = whole.tags;
    this.trace = whole.trace;
    this.receivedNanos = whole.receivedNanos;
    this.deadlineMs = whole.deadlineMs;
    this.method = whole.method();
    this.methodRead = true;
    this.failMode = FailMode.FAILFAST;
    this.gather = gather;
  }

  /** Milliseconds left of the call's budget. */
  long budgetLeftMs() {
    return Math.max(0, deadlineMs - CallbackTable.nowMs());
  }

  /** The request's frame is released once routing returns: keep the bytes if they may be sent again. */
  void retainInnerRpc() {
    if (retainedInnerRpc == null && frameInnerRpc != null) {
      byte[] copy = new byte[frameInnerRpc.readableBytes()];
      frameInnerRpc.getBytes(frameInnerRpc.readerIndex(), copy);
      retainedInnerRpc = copy;
    }
  }

  /** Forgets the frame's bytes, which are about to be released. */
  void leaveFrame() {
    method();
    frameInnerRpc = null;
  }

  ByteBuf frameInnerRpc() {
    return frameInnerRpc;
  }

  void tried(ServiceLink link) {
    if (attempts > tried.length) {
      tried = java.util.Arrays.copyOf(tried, tried.length * 2);
    }
    tried[attempts - 1] = link;
  }

  boolean wasTried(ServiceLink link) {
    for (int i = 0; i < attempts && i < tried.length; i++) {
      if (tried[i] == link) {
        return true;
      }
    }
    return false;
  }

  /** Lets go of the call's order-key binding, whatever its outcome. */
  void releasePin() {
    if (pin != null) {
      pins.release(pin);
      pin = null;
    }
  }

  @Override
  public String namespace() {
    return namespace;
  }

  @Override
  public String service() {
    return service;
  }

  @Override
  public String method() {
    if (!methodRead) {
      methodRead = true;
      method = frameInnerRpc == null ? null : InnerRpc.peekMethod(frameInnerRpc);
    }
    return method;
  }

  @Override
  public Caller caller() {
    return caller;
  }

  @Override
  public boolean fromService() {
    return fromService;
  }

  @Override
  public Map<String, String> tags() {
    return tags;
  }

  @Override
  public String trace() {
    return trace;
  }

  @Override
  public boolean oneWay() {
    return rid == 0;
  }

  @Override
  public String connectionId() {
    return connectionId;
  }
}
