package io.weft.gate.impl;

/**
 * One HTTP connection of a gate's HTTP side: its admission against the connection limits, and
 * what its gateway calls share with a TCP connection's (an id for per-connection rate limits,
 * calls in flight, order-key bindings).
 */
public final class HttpPeer {

  public final String connId;
  public final Admission admission;
  public final CallCounter calls;
  public final OrderPins pins = new OrderPins();
  /** Set once the connection became a WebSocket: the session it carries then owns it. */
  boolean upgraded;

  public HttpPeer(String connId, Admission admission, CallCounter calls) {
    this.connId = connId;
    this.admission = admission;
    this.calls = calls;
  }
}
