package io.weft.core.discovery.impl;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: each delay doubles up to a cap, and is drawn from the upper
 * half of its step so that the instances of a mesh that lost etcd together do not retry together.
 * Not thread-safe: each owner uses its own from one context.
 */
public final class Backoff {

  private final long initialMs;
  private final long maxMs;
  private long stepMs;

  public Backoff(long initialMs, long maxMs) {
    if (initialMs < 1 || maxMs < initialMs) {
      throw new IllegalArgumentException("backoff needs 1 <= initialMs <= maxMs, but was " + initialMs + ", " + maxMs);
    }
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.stepMs = initialMs;
  }

  /** The delay before the next attempt. */
  public long next() {
    long step = stepMs;
    stepMs = Math.min(maxMs, stepMs * 2);
    long half = step / 2;
    return half + ThreadLocalRandom.current().nextLong(step - half + 1);
  }

  /** Called after a success: the next failure starts over from the initial delay. */
  public void reset() {
    stepMs = initialMs;
  }
}
