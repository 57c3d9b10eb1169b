package io.weft.gate.impl;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.weft.core.auth.TokenVerifier;
import java.net.InetAddress;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * What the verticle instances of one gate share (one deployment, one port): the token verifier
 * (one per gate, so that its replay memory sees every connection: a verifier per event loop would
 * let a token be used once per loop), the connection counts the per-gate and per-IP limits apply
 * to, and the security counters. Held in a Vert.x local map under the deployment's id, and
 * removed when the last instance lets go.
 */
public final class GateShared implements Shareable {

  /** Counter names (also the keys of {@code GateVerticle.securityCounters()}). */
  public static final String REFUSED_ALLOWLIST = "connections.refused.allowlist";
  public static final String REFUSED_MAX_CONNECTIONS = "connections.refused.maxConnections";
  public static final String REFUSED_PER_IP = "connections.refused.maxConnectionsPerIp";
  public static final String ACCEPTED = "connections.accepted";
  public static final String AUTH_OK = "auth.ok";
  public static final String AUTH_FAILED = "auth.failed";
  public static final String AUTH_TIMEOUT = "auth.timeout";
  public static final String AUTH_OUT_OF_ORDER = "auth.outOfOrder";
  public static final String AUTH_QUEUE_FULL = "auth.queueFull";
  public static final String IDLE_CLOSED = "connections.closed.idle";
  public static final String SLOW_READER_PAUSED = "connections.paused.slowReader";
  public static final String IN_FLIGHT_REFUSED = "calls.refused.maxInFlight";
  public static final String ACCESS_DENIED = "calls.refused.notPublic";

  /** Every counter name above, for binding them as meters. */
  public static final java.util.List<String> COUNTERS = java.util.List.of(REFUSED_ALLOWLIST, REFUSED_MAX_CONNECTIONS,
      REFUSED_PER_IP, ACCEPTED, AUTH_OK, AUTH_FAILED, AUTH_TIMEOUT, AUTH_OUT_OF_ORDER, AUTH_QUEUE_FULL, IDLE_CLOSED,
      SLOW_READER_PAUSED, IN_FLIGHT_REFUSED, ACCESS_DENIED);

  private static final String MAP = "weft.gate-shared";

  private final AtomicInteger connections = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, Integer> perIp = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  private volatile TokenVerifier verifier;
  private volatile GateMeters meters;
  private int users;

  /** The holder of {@code key} (a deployment id), created by the first instance to ask. */
  public static GateShared acquire(Vertx vertx, String key) {
    LocalMap<String, GateShared> map = vertx.sharedData().getLocalMap(MAP);
    synchronized (GateShared.class) {
      GateShared shared = map.computeIfAbsent(key, k -> new GateShared());
      shared.users++;
      return shared;
    }
  }

  /** Lets go of the holder; the last instance to do so removes it. */
  public static void release(Vertx vertx, String key, GateShared shared) {
    LocalMap<String, GateShared> map = vertx.sharedData().getLocalMap(MAP);
    synchronized (GateShared.class) {
      if (--shared.users == 0) {
        map.remove(key, shared);
        if (shared.meters != null) {
          shared.meters.close();
        }
      }
    }
  }

  /** The gate's one verifier, made by {@code factory} the first time. */
  public TokenVerifier verifier(Supplier<TokenVerifier> factory) {
    TokenVerifier v = verifier;
    if (v == null) {
      synchronized (this) {
        v = verifier;
        if (v == null) {
          v = factory.get();
          verifier = v;
        }
      }
    }
    return v;
  }

  /** The gate's one set of meters, made by {@code factory} the first time (and shown on the admin endpoints). */
  public GateMeters meters(Supplier<GateMeters> factory) {
    GateMeters m = meters;
    if (m == null) {
      synchronized (this) {
        m = meters;
        if (m == null) {
          m = factory.get();
          meters = m;
          m.open();
        }
      }
    }
    return m;
  }

  /**
   * Counts a new connection from {@code ip} in, or refuses it: returns {@code null} when admitted
   * (release it with {@link #leave}), else the name of the counter of the limit it broke.
   */
  public String admit(InetAddress ip, int maxConnections, int maxPerIp) {
    if (connections.incrementAndGet() > maxConnections) {
      connections.decrementAndGet();
      count(REFUSED_MAX_CONNECTIONS);
      return REFUSED_MAX_CONNECTIONS;
    }
    boolean[] over = new boolean[1];
    // compute() is atomic per key: counting in and out from several event loops never loses one.
    perIp.compute(ip, (k, n) -> {
      int held = n == null ? 0 : n;
      if (held >= maxPerIp) {
        over[0] = true;
        return n;
      }
      return held + 1;
    });
    if (over[0]) {
      connections.decrementAndGet();
      count(REFUSED_PER_IP);
      return REFUSED_PER_IP;
    }
    count(ACCEPTED);
    return null;
  }

  /** Counts an admitted connection out. */
  public void leave(InetAddress ip) {
    connections.decrementAndGet();
    perIp.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
  }

  /** Client connections the gate holds now, all instances together. */
  public int connections() {
    return connections.get();
  }

  /** Addresses with at least one connection. */
  public int addresses() {
    return perIp.size();
  }

  /** One counter's count so far. */
  public long counter(String counter) {
    LongAdder adder = counters.get(counter);
    return adder == null ? 0 : adder.sum();
  }

  public void count(String counter) {
    counters.computeIfAbsent(counter, k -> new LongAdder()).increment();
  }

  public Map<String, Long> counters() {
    Map<String, Long> snapshot = new TreeMap<>();
    counters.forEach((k, v) -> snapshot.put(k, v.sum()));
    snapshot.put("connections.open", (long) connections.get());
    return snapshot;
  }
}
