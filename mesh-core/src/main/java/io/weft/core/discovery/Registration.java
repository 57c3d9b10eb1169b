package io.weft.core.discovery;

import io.vertx.core.Future;

/** A live registration; it lasts until {@link #deregister()} or the process dies. */
public interface Registration {

  /** The registry key held (for etcd, {@code /weft/services/<ns>/<svc>/<host:port>} or {@code /weft/gates/<host:port>}). */
  String key();

  /** Removes the entry from the registry (idempotent). */
  Future<Void> deregister();
}
