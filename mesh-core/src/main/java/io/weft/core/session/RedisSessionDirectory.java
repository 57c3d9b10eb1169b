package io.weft.core.session;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import io.weft.core.session.impl.LookupBatcher;
import io.weft.core.session.impl.LuaScript;
import io.weft.core.session.impl.RedisClients;
import io.weft.core.session.impl.SessionKeys;
import io.weft.core.session.impl.SessionScripts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The session directory of a mesh spread over processes, in Redis: hash
 * {@code weft:session:<ClientId>} = {gate, conn, at} with a TTL (PROTOCOL.md section 9). Every
 * operation is one Lua script ({@link SessionScripts}), atomic in Redis; {@link #lookupAll} and
 * {@link #refreshAll} send up to {@value #CHUNK} client ids per script, the chunks in parallel.
 * <p>
 * A Redis that restarts costs the calls in flight (they fail) and nothing more: the next calls
 * open new connections. Every call fails after {@link SessionOptions#getTimeoutMs()} at most, and
 * one that could not get a connection in that time is never sent.
 * <p>
 * Multi-key scripts need every key on one node: this is for a standalone Redis (what a connection
 * string names), not a Redis Cluster.
 */
public final class RedisSessionDirectory implements SessionDirectory {

  /** Keys per script: a script blocks Redis while it runs, so a huge fan-out must not be one. */
  static final int CHUNK = 500;

  private final Redis redis;
  private final Supplier<Future<Void>> release;
  private final String ttlSeconds;
  private final long timeoutMs;
  private volatile boolean closed;
  private final LookupBatcher lookups = new LookupBatcher(this::lookupAll, CHUNK);

  RedisSessionDirectory(Redis redis, SessionOptions options, Supplier<Future<Void>> release) {
    this.redis = redis;
    this.release = release;
    this.ttlSeconds = Integer.toString(options.getTtlSeconds());
    this.timeoutMs = options.getTimeoutMs();
  }

  /**
   * A directory with a Redis client of its own, closed with it (and with the verticle creating it).
   * {@link SessionDirectories#create} shares one client between the directories of a Vert.x instead.
   */
  public static RedisSessionDirectory create(Vertx vertx, SessionOptions options) {
    Redis redis = RedisClients.create(vertx, options);
    return new RedisSessionDirectory(redis, options, redis::close);
  }

  @Override
  public Future<Session> bind(Session session) {
    if (session == null) {
      return Future.failedFuture(new IllegalArgumentException("session must not be null"));
    }
    List<String> args = List.of(session.gate(), session.conn(), Long.toString(session.at()), ttlSeconds);
    return call(SessionScripts.BIND, List.of(SessionKeys.key(session.clientId())), args)
        .map(old -> {
          Session previous = old == null || old.size() < 3 ? null : SessionKeys.parse(session.clientId(),
              text(old.get(0)), text(old.get(1)), text(old.get(2)));
          return previous == null || previous.conn().equals(session.conn()) ? null : previous;
        });
  }

  @Override
  public Future<Boolean> unbind(String clientId, String conn) {
    if (isEmpty(clientId) || isEmpty(conn)) {
      return Future.failedFuture(new IllegalArgumentException("clientId and conn must not be empty"));
    }
    return call(SessionScripts.UNBIND, List.of(SessionKeys.key(clientId)), List.of(conn))
        .map(removed -> removed != null && removed.toLong() == 1L);
  }

  /**
   * The binding of {@code clientId}, or null. Lookups asked during the same task of a context
   * (the pushes of one read) share one script call: one round trip for the lot.
   */
  @Override
  public Future<Session> lookup(String clientId) {
    if (isEmpty(clientId)) {
      return Future.failedFuture(new IllegalArgumentException("clientId must not be empty"));
    }
    return lookups.lookup(clientId);
  }

  @Override
  public Future<Map<String, Session>> lookupAll(Collection<String> clientIds) {
    List<String> ids;
    try {
      ids = distinct(clientIds);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    List<Future<Map<String, Session>>> chunks = new ArrayList<>();
    for (List<String> chunk : chunks(ids)) {
      chunks.add(call(SessionScripts.LOOKUP, keys(chunk), List.of()).map(r -> sessions(chunk, r)));
    }
    return Future.all(chunks).map(all -> {
      Map<String, Session> found = new HashMap<>();
      for (int i = 0; i < all.size(); i++) {
        found.putAll(all.<Map<String, Session>>resultAt(i));
      }
      return found;
    });
  }

  @Override
  public Future<Set<String>> refreshAll(Map<String, String> connsByClientId) {
    if (connsByClientId == null) {
      return Future.failedFuture(new IllegalArgumentException("connsByClientId must not be null"));
    }
    List<String> ids = new ArrayList<>(connsByClientId.size());
    for (Map.Entry<String, String> e : connsByClientId.entrySet()) {
      if (isEmpty(e.getKey()) || isEmpty(e.getValue())) {
        return Future.failedFuture(new IllegalArgumentException("client ids and conns must not be empty, but "
            + e.getKey() + " -> " + e.getValue() + " is"));
      }
      ids.add(e.getKey());
    }
    List<Future<List<String>>> chunks = new ArrayList<>();
    for (List<String> chunk : chunks(ids)) {
      List<String> args = new ArrayList<>(chunk.size() + 1);
      args.add(ttlSeconds);
      chunk.forEach(id -> args.add(connsByClientId.get(id)));
      chunks.add(call(SessionScripts.REFRESH, keys(chunk), args).map(r -> notRefreshed(chunk, r)));
    }
    return Future.all(chunks).map(all -> {
      Set<String> lost = new LinkedHashSet<>();
      for (int i = 0; i < all.size(); i++) {
        lost.addAll(all.<List<String>>resultAt(i));
      }
      return lost;
    });
  }

  @Override
  public Future<Void> close() {
    synchronized (this) {
      if (closed) {
        return Future.succeededFuture();
      }
      closed = true;
    }
    return release.get();
  }

  /**
   * Runs a script on a pooled connection, within the timeout. A call still waiting for a
   * connection when its caller has given up is dropped rather than sent late: a login's bind run
   * seconds after it timed out could replace the binding of a newer login.
   */
  private Future<Response> call(LuaScript script, List<String> keys, List<String> args) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the session directory is closed"));
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    return redis.connect()
        .compose(conn -> {
          if (System.nanoTime() - deadline >= 0) {
            conn.close();
            return Future.<Response>failedFuture(new TimeoutException("no Redis connection within " + timeoutMs + " ms"));
          }
          return script.run(conn, keys, args).eventually(conn::close);
        })
        .timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  private static Map<String, Session> sessions(List<String> ids, Response reply) {
    Map<String, Session> found = new HashMap<>();
    if (reply == null || reply.size() != ids.size() * 3) {
      return found;
    }
    for (int i = 0; i < ids.size(); i++) {
      Session s = SessionKeys.parse(ids.get(i),
          text(reply.get(3 * i)), text(reply.get(3 * i + 1)), text(reply.get(3 * i + 2)));
      if (s != null) {
        found.put(s.clientId(), s);
      }
    }
    return found;
  }

  private static List<String> notRefreshed(List<String> ids, Response reply) {
    List<String> lost = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      Response r = reply == null || i >= reply.size() ? null : reply.get(i);
      if (r == null || r.toLong() != 1L) {
        lost.add(ids.get(i));
      }
    }
    return lost;
  }

  private static String text(Response r) {
    return r == null ? null : r.toString();
  }

  private static List<String> distinct(Collection<String> clientIds) {
    if (clientIds == null) {
      throw new IllegalArgumentException("clientIds must not be null");
    }
    Set<String> unique = new LinkedHashSet<>(clientIds.size() * 2);
    for (String id : clientIds) {
      if (isEmpty(id)) {
        throw new IllegalArgumentException("client ids must not be empty, but one was "
            + (id == null ? "null" : "''"));
      }
      unique.add(id);
    }
    return new ArrayList<>(unique);
  }

  private static List<List<String>> chunks(List<String> ids) {
    List<List<String>> chunks = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += CHUNK) {
      chunks.add(ids.subList(from, Math.min(ids.size(), from + CHUNK)));
    }
    return chunks;
  }

  private static List<String> keys(List<String> ids) {
    List<String> keys = new ArrayList<>(ids.size());
    ids.forEach(id -> keys.add(SessionKeys.key(id)));
    return keys;
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }
}
