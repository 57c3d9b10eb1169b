package io.weft.gate.impl;

import io.weft.core.callback.CallbackTable;
import io.weft.core.conn.MeshConnection;

/** A routed call waiting for its service's reply: where the answer goes and which link carries it. */
final class PendingRoute extends CallbackTable.Entry {

  final MeshConnection origin;
  final long rid;
  final ServiceLink link;

  PendingRoute(MeshConnection origin, long rid, ServiceLink link) {
    this.origin = origin;
    this.rid = rid;
    this.link = link;
  }
}
