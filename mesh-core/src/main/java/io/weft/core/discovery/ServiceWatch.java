package io.weft.core.discovery;

import io.vertx.core.Future;

/** A running watch of the registry; {@link #close()} stops its events. */
public interface ServiceWatch {

  Future<Void> close();
}
