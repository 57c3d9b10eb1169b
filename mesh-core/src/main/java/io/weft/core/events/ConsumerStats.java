package io.weft.core.events;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one consumer (one subscription, or the persistent calls, of one instance) did, and how its
 * group stands: counters that only grow, and gauges refreshed from Redis every few seconds
 * ({@code XINFO GROUPS}, {@code XLEN} of the dead letters). Plain longs, to bind to any metrics
 * library: a counter's rate is the rate of its events.
 */
public final class ConsumerStats {

  private final String stream;
  private final String group;
  private final String consumer;
  final LongAdder delivered = new LongAdder();
  final LongAdder handled = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder redelivered = new LongAdder();
  final LongAdder deadLettered = new LongAdder();
  final LongAdder skipped = new LongAdder();
  volatile int inFlight;
  volatile long pending = -1;
  volatile long lag = -1;
  volatile long deadLetters = -1;
  volatile boolean leaseHeld;

  ConsumerStats(String stream, String group, String consumer) {
    this.stream = stream;
    this.group = group;
    this.consumer = consumer;
  }

  public String stream() {
    return stream;
  }

  public String group() {
    return group;
  }

  public String consumer() {
    return consumer;
  }

  /** Handler runs started (first deliveries and retries). */
  public long delivered() {
    return delivered.sum();
  }

  /** Entries handled and acknowledged. */
  public long handled() {
    return handled.sum();
  }

  /** Handler runs that failed (each may be tried again). */
  public long failed() {
    return failed.sum();
  }

  /** Entries taken over from consumers that stopped renewing them, and retries. */
  public long redelivered() {
    return redelivered.sum();
  }

  /** Entries this consumer moved to the dead-letter stream. */
  public long deadLettered() {
    return deadLettered.sum();
  }

  /** Entries acknowledged unread: replays meant for another group, duplicates of persistent calls, trimmed entries. */
  public long skipped() {
    return skipped.sum();
  }

  /** Entries this consumer holds now. */
  public int inFlight() {
    return inFlight;
  }

  /** Entries delivered to the group and not acknowledged yet, by any consumer; -1 before the first refresh. */
  public long pending() {
    return pending;
  }

  /** Entries of the stream not delivered to the group yet; -1 when unknown. */
  public long lag() {
    return lag;
  }

  /** Entries in the group's dead-letter stream; -1 before the first refresh. */
  public long deadLetters() {
    return deadLetters;
  }

  /** For ordered subscriptions: whether this consumer holds the lease (is the one reading). */
  public boolean leaseHeld() {
    return leaseHeld;
  }

  @Override
  public String toString() {
    return "ConsumerStats{" + stream + " " + group + " " + consumer + ": delivered " + delivered() + ", handled "
        + handled() + ", failed " + failed() + ", dead " + deadLettered() + ", pending " + pending + ", lag " + lag + "}";
  }
}
