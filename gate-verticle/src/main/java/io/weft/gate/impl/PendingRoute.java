package io.weft.gate.impl;

import io.weft.core.callback.CallbackTable;
import io.weft.core.conn.MeshConnection;

/** A routed call waiting for its service's reply: where the answer goes and which link carries it. */
final class PendingRoute extends CallbackTable.Entry {

  final MeshConnection origin;
  final long rid;
  final ServiceLink link;
  final long startNanos;
  final OrderPins pins;
  final OrderPins.Pin pin;

  PendingRoute(MeshConnection origin, long rid, ServiceLink link, long startNanos, OrderPins pins, OrderPins.Pin pin) {
    this.origin = origin;
    this.rid = rid;
    this.link = link;
    this.startNanos = startNanos;
    this.pins = pins;
    this.pin = pin;
  }

  /** Lets go of the call's order-key binding, whatever its outcome. */
  void releasePin() {
    if (pin != null) {
      pins.release(pin);
    }
  }
}
