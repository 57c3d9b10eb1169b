package io.weft.launcher.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;

/** One connection of a bench, making the scenario's call. Used on its own context only. */
interface BenchConnection {

  Context context();

  /** Makes one call; {@code done} receives {@code null} on success, else a failure key (a wire code). */
  void call(Handler<String> done);

  boolean isOpen();

  Future<Void> close();
}
