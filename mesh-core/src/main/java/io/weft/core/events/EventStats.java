package io.weft.core.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * The events of one service instance: what it published, and each of its consumers
 * ({@link ConsumerStats}: one per subscription, one for its persistent calls). Counters only grow;
 * bind them as counters (their rate is the publish rate) and the consumers' gauges as gauges.
 */
public final class EventStats {

  private final LongAdder published = new LongAdder();
  private final LongAdder publishFailures = new LongAdder();
  private final LongAdder callsStored = new LongAdder();
  private final LongAdder callDuplicates = new LongAdder();
  private final List<ConsumerStats> consumers = new CopyOnWriteArrayList<>();

  /** Events published (stored in Redis). */
  public long published() {
    return published.sum();
  }

  /** Publishes that failed (Redis unreachable, an event that cannot be encoded). */
  public long publishFailures() {
    return publishFailures.sum();
  }

  /** Persistent calls stored. */
  public long callsStored() {
    return callsStored.sum();
  }

  /** Persistent calls not stored again: their message id was remembered. */
  public long callDuplicates() {
    return callDuplicates.sum();
  }

  /** The consumers of this instance. */
  public List<ConsumerStats> consumers() {
    return List.copyOf(consumers);
  }

  /** Counts a publish: {@code ok} or failed. */
  public void recordPublish(boolean ok) {
    (ok ? published : publishFailures).increment();
  }

  /** Counts a persistent call stored, or recognized as a duplicate. */
  public void recordCall(boolean duplicate) {
    (duplicate ? callDuplicates : callsStored).increment();
  }

  public void add(ConsumerStats consumer) {
    consumers.add(consumer);
  }

  public void remove(ConsumerStats consumer) {
    consumers.remove(consumer);
  }
}
