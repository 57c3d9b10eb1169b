package io.weft.core.session;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The in-JVM session directory, the embedded default of {@code conf/local.json}: every verticle
 * of one Vert.x instance sees the same bindings, with the semantics of the Redis one, TTL
 * included. A mesh spread over several processes needs Redis.
 * <p>
 * An expired binding is invisible at once and removed when next touched; the others are swept by
 * the operations themselves, at most once per {@value #SWEEP_INTERVAL_MS} ms, rather than by a
 * timer, which Vert.x would cancel with whichever verticle happened to create the store.
 */
public final class LocalSessionDirectory implements SessionDirectory {

  static final long SWEEP_INTERVAL_MS = 30_000;
  private static final String SHARED_MAP = "weft.local-sessions";

  private final Store store;
  private final long ttlMs;

  private LocalSessionDirectory(Store store, SessionOptions options) {
    this.store = store;
    this.ttlMs = options.getTtlSeconds() * 1000L;
  }

  /** A view of the bindings shared by everything running on {@code vertx}, with its own TTL. */
  public static LocalSessionDirectory get(Vertx vertx, SessionOptions options) {
    LocalMap<String, Store> map = vertx.sharedData().getLocalMap(SHARED_MAP);
    return new LocalSessionDirectory(map.computeIfAbsent("store", k -> new Store(Store::monotonicMillis)), options);
  }

  public static LocalSessionDirectory get(Vertx vertx) {
    return get(vertx, new SessionOptions());
  }

  /** A directory of its own on a clock the caller moves, for tests of expiry. */
  static LocalSessionDirectory withClock(SessionOptions options, LongSupplier millis) {
    return new LocalSessionDirectory(new Store(millis), options);
  }

  /** How many entries the store holds, expired ones not yet removed included. */
  int size() {
    return store.entries.size();
  }

  @Override
  public Future<Session> bind(Session session) {
    if (session == null) {
      return Future.failedFuture(new IllegalArgumentException("session must not be null"));
    }
    long now = store.now();
    Session[] replaced = new Session[1];
    store.entries.compute(session.clientId(), (id, old) -> {
      if (old != null && old.liveAt(now) && !old.session.conn().equals(session.conn())) {
        replaced[0] = old.session;
      }
      return new Entry(session, now + ttlMs);
    });
    store.sweepIfDue(now);
    return Future.succeededFuture(replaced[0]);
  }

  @Override
  public Future<Boolean> unbind(String clientId, String conn) {
    if (isEmpty(clientId) || isEmpty(conn)) {
      return Future.failedFuture(new IllegalArgumentException("clientId and conn must not be empty"));
    }
    long now = store.now();
    boolean[] removed = new boolean[1];
    store.entries.computeIfPresent(clientId, (id, e) -> {
      if (!e.liveAt(now)) {
        return null;
      }
      removed[0] = e.session.conn().equals(conn);
      return removed[0] ? null : e;
    });
    return Future.succeededFuture(removed[0]);
  }

  @Override
  public Future<Map<String, Session>> lookupAll(Collection<String> clientIds) {
    if (clientIds == null) {
      return Future.failedFuture(new IllegalArgumentException("clientIds must not be null"));
    }
    long now = store.now();
    Map<String, Session> found = new HashMap<>();
    for (String id : clientIds) {
      if (isEmpty(id)) {
        return Future.failedFuture(new IllegalArgumentException("client ids must not be empty, but one was "
            + (id == null ? "null" : "''")));
      }
      Entry e = store.entries.get(id);
      if (e == null) {
        continue;
      }
      if (e.liveAt(now)) {
        found.put(id, e.session);
      } else {
        store.entries.remove(id, e);
      }
    }
    return Future.succeededFuture(found);
  }

  @Override
  public Future<Set<String>> refreshAll(Map<String, String> connsByClientId) {
    if (connsByClientId == null) {
      return Future.failedFuture(new IllegalArgumentException("connsByClientId must not be null"));
    }
    for (Map.Entry<String, String> e : connsByClientId.entrySet()) {
      if (isEmpty(e.getKey()) || isEmpty(e.getValue())) {
        return Future.failedFuture(new IllegalArgumentException("client ids and conns must not be empty, but "
            + e.getKey() + " -> " + e.getValue() + " is"));
      }
    }
    long now = store.now();
    Set<String> lost = new LinkedHashSet<>();
    connsByClientId.forEach((clientId, conn) -> {
      boolean[] refreshed = new boolean[1];
      store.entries.computeIfPresent(clientId, (id, e) -> {
        if (!e.liveAt(now)) {
          return null;
        }
        refreshed[0] = e.session.conn().equals(conn);
        return refreshed[0] ? new Entry(e.session, now + ttlMs) : e;
      });
      if (!refreshed[0]) {
        lost.add(clientId);
      }
    });
    store.sweepIfDue(now);
    return Future.succeededFuture(lost);
  }

  /** Bindings stay, as they would in Redis. */
  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }

  /** A binding and when it expires, on the store's clock. Immutable: a refresh puts a new one. */
  private record Entry(Session session, long expiresAt) {
    boolean liveAt(long now) {
      return now < expiresAt;
    }
  }

  /** The bindings shared through the Vert.x local map; the map makes each operation atomic per client id. */
  private static final class Store implements Shareable {
    final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final AtomicLong nextSweep;

    Store(LongSupplier clock) {
      this.clock = clock;
      this.nextSweep = new AtomicLong(clock.getAsLong() + SWEEP_INTERVAL_MS);
    }

    long now() {
      return clock.getAsLong();
    }

    /** One caller per interval wins the sweep; removing by value spares a binding refreshed meanwhile. */
    void sweepIfDue(long now) {
      long due = nextSweep.get();
      if (now >= due && nextSweep.compareAndSet(due, now + SWEEP_INTERVAL_MS)) {
        entries.forEach((id, e) -> {
          if (!e.liveAt(now)) {
            entries.remove(id, e);
          }
        });
      }
    }

    static long monotonicMillis() {
      return System.nanoTime() / 1_000_000;
    }
  }
}
