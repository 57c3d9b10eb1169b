package io.weft.gate.impl;

/**
 * The calls one client connection has waiting for an answer, against its limit: the router counts
 * a call in when it accepts it and out when it is answered (or, one-way, sent).
 */
public final class CallCounter {

  private final int max;
  private final Runnable onRefused;
  private int inFlight;
  private long refused;

  /** {@code onRefused} runs for each call refused (to count it). */
  public CallCounter(int max, Runnable onRefused) {
    this.max = max;
    this.onRefused = onRefused;
  }

  boolean tryAcquire() {
    if (inFlight >= max) {
      refused++;
      onRefused.run();
      return false;
    }
    inFlight++;
    return true;
  }

  void release() {
    inFlight--;
  }

  public int inFlight() {
    return inFlight;
  }

  /** Calls refused for being over the limit. */
  public long refused() {
    return refused;
  }
}
