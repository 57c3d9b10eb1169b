package io.weft.service;

import io.vertx.core.Vertx;
import io.weft.core.protocol.Envelope.Caller;

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

  /** The caller's trace id ({@code Trace}), or {@code null}. */
  String trace();

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
