package io.weft.service.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.weft.core.callback.CallbackTable;
import io.weft.core.client.CallOptions;
import io.weft.core.events.PersistentCallOptions;
import io.weft.core.events.PublishOptions;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.Caller;
import io.weft.core.trace.CallSpan;
import io.weft.service.RpcContext;

/**
 * One call on its way from a {@link io.weft.service.ServiceHost} to the business verticle that
 * handles it, through the host's {@link HandOff}. It is also the handler's
 * {@link RpcContext}, so a call costs one object. Calls the handler makes through it go out on the
 * host's {@link GateCalls}, carrying on this call's trace and deadline. Its {@link #trace()} is the
 * caller's {@code Trace}, or, when the host records spans, the {@code traceparent} of its span
 * of this call (a child of the caller's).
 */
public final class Invocation implements RpcContext {

  private final Vertx vertx;
  private final String replyAddress;
  private final String instance;
  private final long linkId;
  private final long grid;
  private final String method;
  private final byte[] bytes;
  private final int argsOffset;
  private final int argsLength;
  private final long deadlineMs;
  private final String orderKey;
  private final String trace;
  private final Caller caller;
  private final GateCalls calls;

  /**
   * @param deadlineMs on {@link CallbackTable#nowMs()}'s clock, or {@link Envelope#ABSENT}
   */
  public Invocation(Vertx vertx, String replyAddress, String instance, long linkId, long grid, String method,
                    byte[] bytes, int argsOffset, int argsLength, long deadlineMs, String orderKey, String trace,
                    Caller caller, GateCalls calls) {
    this.vertx = vertx;
    this.replyAddress = replyAddress;
    this.instance = instance;
    this.linkId = linkId;
    this.grid = grid;
    this.method = method;
    this.bytes = bytes;
    this.argsOffset = argsOffset;
    this.argsLength = argsLength;
    this.deadlineMs = deadlineMs;
    this.orderKey = orderKey;
    this.trace = trace;
    this.caller = caller;
    this.calls = calls;
  }

  public String replyAddress() {
    return replyAddress;
  }

  public long linkId() {
    return linkId;
  }

  public long grid() {
    return grid;
  }

  public byte[] bytes() {
    return bytes;
  }

  public int argsOffset() {
    return argsOffset;
  }

  public int argsLength() {
    return argsLength;
  }

  public long deadlineMs() {
    return deadlineMs;
  }

  /** True when the caller's budget has run out. */
  public boolean expired() {
    return deadlineMs != Envelope.ABSENT && CallbackTable.nowMs() >= deadlineMs;
  }

  public Outcome outcome(int code, String error, byte[] reply) {
    return new Outcome(linkId, grid, code, error, reply, startedNanos, method, trace, span, meters);
  }

  private String address;
  private long startedNanos;
  private MethodMeters meters;

  /** Where the host counts this call's outcome. */
  public void meters(MethodMeters meters) {
    this.meters = meters;
  }

  private CallSpan span;

  /** The host's span of this call, ended with its outcome. */
  public Invocation span(CallSpan span) {
    this.span = span;
    return this;
  }

  public CallSpan span() {
    return span;
  }

  /** The {@link HandOff} address of the verticle that will run the call. */
  public String address() {
    return address;
  }

  public void address(String address) {
    this.address = address;
  }

  /** Marks the moment the host let the call start (past its concurrency limit). */
  public void started(long nanos) {
    this.startedNanos = nanos;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public Caller caller() {
    return caller;
  }

  @Override
  public String trace() {
    return trace;
  }

  @Override
  public String orderKey() {
    return orderKey;
  }

  @Override
  public long remainingMs() {
    return deadlineMs == Envelope.ABSENT ? Long.MAX_VALUE : Math.max(0, deadlineMs - CallbackTable.nowMs());
  }

  @Override
  public boolean oneWay() {
    return grid == 0;
  }

  @Override
  public String instance() {
    return instance;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public String namespace() {
    return calls.namespace();
  }

  @Override
  public String pushNamespace() {
    return calls.pushNamespace();
  }

  @Override
  public <T> Future<T> call(String namespace, String service, String method, Object args, Class<T> replyType,
                            CallOptions options) {
    return calls.call(trace, deadlineMs, namespace, service, method, args, replyType, options);
  }

  @Override
  public void send(String namespace, String service, String method, Object args, CallOptions options) {
    calls.send(trace, deadlineMs, namespace, service, method, args, options);
  }

  @Override
  public Future<String> publish(String topic, Object event, PublishOptions options) {
    return calls.publish(trace, topic, event, options);
  }

  @Override
  public Future<String> callPersistent(String namespace, String service, String method, Object args,
                                       PersistentCallOptions options) {
    return calls.callPersistent(trace, namespace, service, method, args, options);
  }
}
