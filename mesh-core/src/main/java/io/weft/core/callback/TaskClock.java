package io.weft.core.callback;

import io.vertx.core.impl.VertxThread;

/**
 * The time the current Vert.x task began: the handling of a frame, a timer, a message.
 * <p>
 * Vert.x already reads the clock when it starts a task on one of its threads (its blocked-thread
 * checker needs it), so this clock costs a field read there instead of a clock read. A call at the
 * gate reads the time four or five times (received, attempt, deadline, reply, outcome); on a
 * virtualised TSC each read costs about 50 ns, which was a tenth of a call's whole CPU time.
 * <p>
 * Use it for intervals that span tasks (a request to its reply, a deadline) or for "now" in a
 * deadline check. Do not use it to time work done inside one task: both ends would read the same
 * instant. Off Vert.x threads (virtual threads, plain threads) it reads the system clock.
 */
public final class TaskClock {

  private TaskClock() {
  }

  /** On {@link System#nanoTime()}'s scale: when the current task began, or now outside a task. */
  public static long nanoTime() {
    if (Thread.currentThread() instanceof VertxThread thread) {
      long started = thread.startTime();
      if (started != 0) {
        return started;
      }
    }
    return System.nanoTime();
  }
}
