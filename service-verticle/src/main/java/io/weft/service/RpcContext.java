package io.weft.service;

import io.vertx.core.Vertx;
import io.weft.core.protocol.Envelope.Caller;
import io.weft.core.trace.CallLogger;

/**
 * What a handler knows of the call it is handling, and how it calls other services: calls made
 * through it ({@link ServiceCalls}) carry on this call's {@link #trace()} and get no more budget
 * than {@link #remainingMs()}; one made when nothing is left fails at once with 4.
 */
public interface RpcContext extends ServiceCalls {

  /** The method being called. */
  String method();

  /** Who called: the gate, its connection id, the logged-in client id and the client's label. */
  Caller caller();

  /**
   * The call's {@code Trace}, a W3C {@code traceparent} (a gate gives every call one): the one the
   * gate forwarded or, when this instance records spans, that of its span of this call. Calls,
   * pushes and events made through this context carry it on. {@code null} only for calls from a
   * peer that sent none.
   */
  String trace();

  /** The trace id of {@link #trace()} (32 hex digits), as logs show it; {@code null} without a trace. */
  default String traceId() {
    return CallLogger.traceId(trace());
  }

  /** The call's {@code OrderKey}, or {@code null}. */
  String orderKey();

  /** Milliseconds left of the caller's budget; {@link Long#MAX_VALUE} when it set none. */
  long remainingMs();

  /** True when nobody waits for the reply (a one-way call). */
  boolean oneWay();

  /** This instance's id: its advertised {@code host:port}. */
  String instance();

  Vertx vertx();
}
