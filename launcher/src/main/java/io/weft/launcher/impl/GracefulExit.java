package io.weft.launcher.impl;

import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import sun.misc.Signal;

/**
 * Ends {@code weft run} on SIGTERM and SIGINT by closing Vert.x, which drains every role first
 * ({@link io.weft.launcher.MeshVerticle}), then exiting with status 0, or 1 when closing failed.
 * <p>
 * Left to the JVM, a SIGTERM runs the shutdown hooks (Vert.x's closes it as well) but the process
 * then exits with 143, which process managers count as a failure; a drained, clean stop is not one.
 */
final class GracefulExit {

  private static final Logger log = LoggerFactory.getLogger(GracefulExit.class);

  /** Longer than any drain: Vert.x's own shutdown hook gives up after as long. */
  private static final long CLOSE_TIMEOUT_MINUTES = 2;

  private GracefulExit() {
  }

  /** Handles SIGTERM and SIGINT from now on; {@code vertx} is {@code null} until it has started. */
  static void install(Supplier<Vertx> vertx) {
    AtomicBoolean exiting = new AtomicBoolean();
    for (String name : List.of("TERM", "INT")) {
      try {
        Signal.handle(new Signal(name), signal -> {
          if (exiting.compareAndSet(false, true)) {
            Thread exit = new Thread(() -> closeAndExit(vertx.get(), signal), "weft-exit");
            exit.start();
          }
        });
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        // The signal is not available here (or is the JVM's own): its default handling stays.
        log.debug("Not handling SIG" + name + ": " + e.getMessage());
      }
    }
  }

  private static void closeAndExit(Vertx vertx, Signal signal) {
    if (vertx == null) {
      // Not started yet: nothing to drain; the status a signalled JVM would have.
      System.exit(128 + signal.getNumber());
      return;
    }
    log.info("SIG" + signal.getName() + ": draining, then exiting");
    int status = 0;
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(CLOSE_TIMEOUT_MINUTES, TimeUnit.MINUTES);
    } catch (Exception e) {
      log.error("Closing failed: " + e);
      status = 1;
    }
    System.exit(status);
  }
}
