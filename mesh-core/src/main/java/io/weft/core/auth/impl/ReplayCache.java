package io.weft.core.auth.impl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The nonces of tokens already accepted, each remembered until a time its caller chooses (the
 * moment its token could no longer be accepted anyway, or the end of the replay window).
 * <p>
 * Thread-safe and shared by every event loop of a gate: a nonce is decided by one atomic
 * {@link ConcurrentHashMap#compute compute}, so of several threads presenting the same nonce at
 * once exactly one sees {@link Outcome#FRESH}. Forgotten entries are swept at most once per
 * {@code sweepIntervalMs}, by whichever caller comes first after it (no timer, nothing to close);
 * a sweep walks every entry, about a millisecond per 100,000.
 * <p>
 * <b>At its capacity the cache refuses</b> ({@link Outcome#FULL}) rather than forgetting an entry
 * early: a forgotten nonce is a token that can be used again, which is the one thing this class
 * exists to prevent, and whoever can fill the cache (only holders of validly signed tokens can:
 * nonces are recorded after the signature is checked) could then push out the nonce of a token
 * they captured and replay it. Refusing costs availability only, until entries are forgotten; size
 * the cache for the peak number of logins within one replay window. Each entry costs about
 * 130 bytes of heap (a map node, a 22-character nonce string, a boxed long).
 */
public final class ReplayCache {

  /** What {@link #record} decided. */
  public enum Outcome {
    /** Not seen (or seen and forgotten): now remembered. */
    FRESH,
    /** Seen and still remembered: a replay. */
    REPLAYED,
    /** Not seen, but the cache is at capacity: refuse, and remember nothing. */
    FULL
  }

  private final ConcurrentHashMap<String, Long> forgetAtMs = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicLong nextSweepMs = new AtomicLong(Long.MIN_VALUE);
  private final int capacity;
  private final long sweepIntervalMs;

  public ReplayCache(int capacity, long sweepIntervalMs) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, but was " + capacity);
    }
    if (sweepIntervalMs < 1) {
      throw new IllegalArgumentException("sweepIntervalMs must be >= 1, but was " + sweepIntervalMs);
    }
    this.capacity = capacity;
    this.sweepIntervalMs = sweepIntervalMs;
  }

  /**
   * Remembers {@code nonce} until {@code forgetAtMs} (inclusive) unless it is remembered already.
   *
   * @param nowMs the caller's clock, the same one {@code forgetAtMs} was computed with
   */
  public Outcome record(String nonce, long forgetAtMs, long nowMs) {
    if (nowMs >= nextSweepMs.get() || size.get() >= capacity) {
      sweep(nowMs);
    }
    Outcome[] outcome = new Outcome[1];
    this.forgetAtMs.compute(nonce, (key, known) -> {
      if (known != null && known >= nowMs) {
        outcome[0] = Outcome.REPLAYED;
        return known;
      }
      if (known == null && !reserveSlot()) {
        outcome[0] = Outcome.FULL;
        return null;
      }
      // A forgotten entry not yet swept keeps its slot.
      outcome[0] = Outcome.FRESH;
      return forgetAtMs;
    });
    return outcome[0];
  }

  /** Entries held, forgotten ones not yet swept included. */
  public int size() {
    return size.get();
  }

  public int capacity() {
    return capacity;
  }

  private boolean reserveSlot() {
    // Exact under concurrency: the cap is never passed, even by a moment.
    return size.getAndUpdate(s -> s < capacity ? s + 1 : s) < capacity;
  }

  private void sweep(long nowMs) {
    long next = nextSweepMs.get();
    // One sweeper per interval, even when full: a full cache must not make every login walk it.
    if (nowMs < next || !nextSweepMs.compareAndSet(next, nowMs + sweepIntervalMs)) {
      return;
    }
    for (Map.Entry<String, Long> e : forgetAtMs.entrySet()) {
      // remove(key, value) loses to a concurrent record() that re-used the entry: nothing is lost.
      if (e.getValue() < nowMs && forgetAtMs.remove(e.getKey(), e.getValue())) {
        size.decrementAndGet();
      }
    }
  }
}
