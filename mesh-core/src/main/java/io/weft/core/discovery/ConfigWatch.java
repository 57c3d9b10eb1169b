package io.weft.core.discovery;

import io.vertx.core.Future;

/** A running watch of runtime config keys ({@link ServiceRegistry#watchConfig}); {@link #close()} stops it. */
public interface ConfigWatch {

  Future<Void> close();
}
