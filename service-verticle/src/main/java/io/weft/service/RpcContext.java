package io.weft.service;

import io.vertx.core.Vertx;
import io.weft.core.protocol.Envelope.Caller;

/** What a handler knows of the call it is handling. */
public interface RpcContext {

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
