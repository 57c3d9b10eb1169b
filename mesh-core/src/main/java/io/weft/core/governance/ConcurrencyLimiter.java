package io.weft.core.governance;

import com.netflix.concurrency.limits.Limit;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Admits calls up to a concurrency limit, queues a bounded number more, and refuses the rest:
 * backpressure with memory bounded by the queue. Adaptive limits learn from each call's latency.
 * <p>
 * One limiter belongs to one event loop: no locks. A call admitted now or later is handed to its
 * {@code start} action; it must {@link #release} when it ends.
 *
 * @param <C> what is queued (the call)
 */
public final class ConcurrencyLimiter<C> {

  private final Limit limit;
  private final int queueSize;
  private final Consumer<C> start;
  private final ArrayDeque<C> queue = new ArrayDeque<>();
  private final LimitAlarm alarm;
  private int inFlight;

  public ConcurrencyLimiter(ConcurrencyOptions options, String name, Consumer<C> start) {
    this.limit = options.newLimit();
    this.queueSize = options.queueSize();
    this.start = start;
    this.alarm = new LimitAlarm(name);
  }

  /**
   * Starts the call now if the limit allows, else queues it if there is room.
   *
   * @return false when the call is refused (the queue is full)
   */
  public boolean offer(C call) {
    if (inFlight < limit.getLimit() && queue.isEmpty()) {
      inFlight++;
      start.accept(call);
      return true;
    }
    if (queue.size() >= queueSize) {
      alarm.breach();
      return false;
    }
    queue.add(call);
    return true;
  }

  /**
   * One started call ended, {@code latencyNanos} after it started; {@code dropped} when it failed
   * for lack of capacity (a timeout), which adaptive limits read as overload.
   */
  public void release(long startNanos, long latencyNanos, boolean dropped) {
    limit.onSample(startNanos, latencyNanos, inFlight, dropped);
    inFlight--;
    while (inFlight < limit.getLimit() && !queue.isEmpty()) {
      inFlight++;
      start.accept(queue.poll());
    }
  }

  /** Takes every call still waiting out of the queue, in order, handing each to {@code action}. */
  public void drainQueue(Consumer<C> action) {
    while (!queue.isEmpty()) {
      action.accept(queue.poll());
    }
  }

  public int inFlight() {
    return inFlight;
  }

  public int queued() {
    return queue.size();
  }

  /** The current limit (moves when adaptive). */
  public int limit() {
    return limit.getLimit();
  }

  /** Calls refused so far. */
  public long refused() {
    return alarm.count();
  }
}
