package io.weft.core.discovery;

import io.vertx.core.Future;

/** A live registration; it lasts until {@link #deregister()} or the process dies. */
public interface Registration {

  ServiceInstance instance();

  /** Removes the instance from the registry (idempotent). */
  Future<Void> deregister();
}
