package io.weft.core.governance;

import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the breaches of one limit and says so in the log, at most once per period with the
 * number since the last line: an operator sees every limit that bites, and a flood of rejected
 * calls cannot flood the log.
 */
public final class LimitAlarm {

  private static final Logger log = LoggerFactory.getLogger(LimitAlarm.class);
  private static final long PERIOD_NANOS = 10_000_000_000L;

  private final String name;
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong sinceLastLine = new AtomicLong();
  private volatile long lastLineNanos = System.nanoTime() - PERIOD_NANOS;

  public LimitAlarm(String name) {
    this.name = name;
  }

  /** Records one breach. */
  public void breach() {
    total.incrementAndGet();
    sinceLastLine.incrementAndGet();
    long now = System.nanoTime();
    long last = lastLineNanos;
    if (now - last >= PERIOD_NANOS) {
      lastLineNanos = now;
      log.warn("Limit " + name + " rejected " + sinceLastLine.getAndSet(0) + " call(s) since the last report ("
          + total.get() + " in all)");
    }
  }

  /** Breaches since start. */
  public long count() {
    return total.get();
  }

  public String name() {
    return name;
  }
}
