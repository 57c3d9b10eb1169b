package io.weft.core.discovery.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.VertxWrapper;

/**
 * The application's Vert.x, lent to jetcd. jetcd's {@code Client.close()} closes the Vert.x it was
 * given (jetcd 0.8.6, {@code ClientConnectionManager.close}), which would take the whole
 * application down with one registry; through this view that close does nothing.
 */
public final class SharedVertx extends VertxWrapper {

  public SharedVertx(Vertx vertx) {
    super((VertxInternal) vertx);
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
