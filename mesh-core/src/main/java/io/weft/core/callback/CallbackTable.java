package io.weft.core.callback;

import io.netty.util.collection.LongObjectHashMap;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Calls in flight, by id, each with a deadline: whichever of "answer" ({@link #complete}) and
 * "deadline" comes first decides the call's one outcome; the other finds nothing.
 * <p>
 * Deadlines live in a hashed timing wheel of intrusive lists swept by one periodic timer, which
 * runs only while calls are in flight: no timer object per call, and O(1) to add, complete or
 * expire a call. Deadlines fire up to one tick ({@code tickMs}) late.
 * <p>
 * A table belongs to one Vert.x context (an event loop): create and use it there only.
 *
 * @param <E> the caller's record of a call, extending {@link Entry}
 */
public final class CallbackTable<E extends CallbackTable.Entry> {

  /** Default sweep period. */
  public static final long DEFAULT_TICK_MS = 10;

  private static final int WHEEL_BUCKETS = 512;
  private static final int WHEEL_MASK = WHEEL_BUCKETS - 1;

  /** A call in flight. Subclasses hold what is needed to answer it. */
  public abstract static class Entry {
    private long id;
    private long deadlineMs;
    private Entry prev;
    private Entry next;
    private int bucket = -1;

    /** The call's id in its table; 0 before it is added. */
    public final long id() {
      return id;
    }

    /** When the call expires, on {@link CallbackTable#nowMs()}'s clock. */
    public final long deadlineMs() {
      return deadlineMs;
    }

    /** Milliseconds left before the deadline (0 when passed). */
    public final long remainingMs() {
      return Math.max(0, deadlineMs - nowMs());
    }
  }

  /** Receives a call whose deadline passed before it was completed. */
  @FunctionalInterface
  public interface ExpiryHandler<E> {
    void expired(E entry);
  }

  private final Vertx vertx;
  private final long tickMs;
  private final ExpiryHandler<E> onExpired;
  /** Entries under {@link #slot}(id), never the bare id: see there. */
  private final LongObjectHashMap<E> byId = new LongObjectHashMap<>();
  private final Entry[] wheel = new Entry[WHEEL_BUCKETS];
  private long nextId = 1;
  private long lastSweptTick;
  private long timerId = -1;
  private long lateAnswers;
  private long expiredCount;
  private boolean closed;

  public CallbackTable(Vertx vertx, long tickMs, ExpiryHandler<E> onExpired) {
    if (tickMs < 1) {
      throw new IllegalArgumentException("tickMs must be >= 1, but was " + tickMs);
    }
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.tickMs = tickMs;
    this.onExpired = Objects.requireNonNull(onExpired, "onExpired");
  }

  /**
   * The map key of an id. Ids in flight are mostly consecutive, and the map hashes a key to its
   * own low bits and probes linearly: consecutive keys would fill one long run of slots, which
   * every removal walks to its end. Multiplying by an odd constant is one-to-one on longs, and
   * spreads consecutive ids over the table.
   */
  private static long slot(long id) {
    return id * 0x9E3779B97F4A7C15L;
  }

  /**
   * The monotonic clock deadlines are measured on, in milliseconds: {@link TaskClock}'s, so a
   * deadline set or checked while handling a frame costs no clock read.
   */
  public static long nowMs() {
    return TaskClock.nanoTime() / 1_000_000;
  }

  /**
   * Adds a call under a fresh non-zero id, expiring {@code timeoutMs} from now.
   *
   * @return the id
   */
  public long add(E entry, long timeoutMs) {
    long id;
    do {
      id = nextId++;
      if (id == 0) {
        id = nextId++;
      }
    } while (byId.containsKey(slot(id)));
    add(id, entry, timeoutMs);
    return id;
  }

  /**
   * Adds a call under an id chosen by the caller.
   *
   * @throws IllegalArgumentException when the id is 0 or already in flight
   */
  public void add(long id, E added, long timeoutMs) {
    Entry entry = added;
    if (closed) {
      throw new IllegalStateException("table is closed");
    }
    if (id == 0) {
      throw new IllegalArgumentException("id 0 means one-way and is never tracked");
    }
    if (entry.bucket >= 0) {
      throw new IllegalArgumentException("entry is already in a table");
    }
    if (byId.putIfAbsent(slot(id), added) != null) {
      throw new IllegalArgumentException("id " + Long.toUnsignedString(id) + " is already in flight");
    }
    long now = nowMs();
    if (timerId < 0) {
      lastSweptTick = now / tickMs - 1;
      timerId = vertx.setPeriodic(tickMs, t -> sweep());
    }
    entry.id = id;
    entry.deadlineMs = now + Math.max(0, timeoutMs);
    link(entry);
  }

  /**
   * Takes the call with this id out of the table, for its answer.
   *
   * @return the call, or {@code null} when it already expired or was never added (a late answer)
   */
  public E complete(long id) {
    E entry = byId.remove(slot(id));
    if (entry == null) {
      lateAnswers++;
      return null;
    }
    unlink(entry);
    return entry;
  }

  /** The call with this id, left in the table. */
  public E get(long id) {
    return byId.get(slot(id));
  }

  /** Takes out every call matching {@code filter} and hands each to {@code action}. */
  public int removeIf(Predicate<? super E> filter, Consumer<? super E> action) {
    List<E> matched = new ArrayList<>();
    for (E entry : byId.values()) {
      if (filter.test(entry)) {
        matched.add(entry);
      }
    }
    for (E entry : matched) {
      byId.remove(slot(entry.id()));
      unlink(entry);
    }
    matched.forEach(action);
    return matched.size();
  }

  /** Calls in flight. */
  public int size() {
    return byId.size();
  }

  /** Answers that found no call: they came after the deadline, or for an unknown id. */
  public long lateAnswers() {
    return lateAnswers;
  }

  /** Calls that reached their deadline. */
  public long expiredCount() {
    return expiredCount;
  }

  /** Stops the sweep and takes out every call, handing each to {@code action}. */
  public void close(Consumer<? super E> action) {
    closed = true;
    stopTimer();
    removeIf(e -> true, action);
  }

  private void sweep() {
    long now = nowMs();
    long nowTick = now / tickMs;
    long ticks = Math.min(nowTick - lastSweptTick, WHEEL_BUCKETS);
    for (long t = 1; t <= ticks; t++) {
      expireBucket((int) ((lastSweptTick + t) & WHEEL_MASK), now);
    }
    lastSweptTick = nowTick;
    if (byId.isEmpty()) {
      stopTimer();
    }
  }

  @SuppressWarnings("unchecked")
  private void expireBucket(int bucket, long now) {
    Entry e = wheel[bucket];
    while (e != null) {
      Entry next = e.next;
      if (e.deadlineMs <= now) {
        unlink(e);
        byId.remove(slot(e.id));
        expiredCount++;
        onExpired.expired((E) e);
      }
      e = next;
    }
  }

  private void stopTimer() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  private void link(Entry e) {
    // Round the deadline up to a tick, so an entry is never swept before its deadline, and never
    // into a tick already swept, where it would wait a whole turn of the wheel.
    long tick = Math.max((e.deadlineMs + tickMs - 1) / tickMs, lastSweptTick + 1);
    int bucket = (int) (tick & WHEEL_MASK);
    Entry head = wheel[bucket];
    e.prev = null;
    e.next = head;
    if (head != null) {
      head.prev = e;
    }
    wheel[bucket] = e;
    e.bucket = bucket;
  }

  private void unlink(Entry e) {
    if (e.bucket < 0) {
      return;
    }
    if (e.prev != null) {
      e.prev.next = e.next;
    } else {
      wheel[e.bucket] = e.next;
    }
    if (e.next != null) {
      e.next.prev = e.prev;
    }
    e.prev = null;
    e.next = null;
    e.bucket = -1;
  }
}
