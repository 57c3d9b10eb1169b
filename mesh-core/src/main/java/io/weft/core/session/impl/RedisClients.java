package io.weft.core.session.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.weft.core.session.SessionOptions;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Redis clients of session directories. The client is vertx-redis-client's pooled one: each
 * call borrows a connection and gives it back, a connection that breaks (Redis restarted) leaves
 * the pool, and the next call opens a new one; so the client lives through Redis restarts.
 * <p>
 * Every directory of one Vert.x instance configured for the same Redis gets the same client, one
 * pool, not a pool per verticle; the client closes with its last user.
 */
public final class RedisClients {

  private static final String SHARED_MAP = "weft.session-redis-clients";
  /** A connection silent for this many call timeouts is stalled (or idle: reopening it is cheap). */
  private static final int STALLED_AFTER_TIMEOUTS = 5;

  private RedisClients() {
  }

  /** A client of the caller's own, closed with the caller's verticle like any client it creates. */
  public static Redis create(Vertx vertx, SessionOptions options) {
    return Redis.createClient(vertx, redisOptions(options));
  }

  /** A shared client and how to let go of it. */
  public record Lease(Redis redis, Supplier<Future<Void>> release) {
  }

  public static Lease acquire(Vertx vertx, SessionOptions options) {
    LocalMap<String, Holder> holders = vertx.sharedData().getLocalMap(SHARED_MAP);
    String key = clientKey(options);
    synchronized (RedisClients.class) {
      Holder holder = holders.get(key);
      if (holder == null) {
        holder = new Holder(createDetached(vertx, options));
        holders.put(key, holder);
      }
      holder.users++;
      Holder acquired = holder;
      return new Lease(holder.redis, () -> release(holders, key, acquired));
    }
  }

  private static Future<Void> release(LocalMap<String, Holder> holders, String key, Holder holder) {
    synchronized (RedisClients.class) {
      if (--holder.users > 0) {
        return Future.succeededFuture();
      }
      holders.remove(key, holder);
    }
    return holder.redis.close();
  }

  /**
   * A client created on a context of its own. Vert.x closes a client (its sockets, its pool
   * cleaner) with the verticle on whose context it was created, which would break the other
   * verticles sharing it when that one is undeployed first.
   */
  private static Redis createDetached(Vertx vertx, SessionOptions options) {
    ContextInternal own = ((VertxInternal) vertx).createEventLoopContext();
    Redis[] created = new Redis[1];
    own.dispatch(v -> created[0] = create(vertx, options));
    return created[0];
  }

  /** What the client depends on; TTLs may differ between the directories sharing it. */
  private static String clientKey(SessionOptions options) {
    return new JsonObject()
        .put("connectionString", options.getConnectionString())
        .put("timeoutMs", options.getTimeoutMs())
        .put("maxPoolSize", options.getMaxPoolSize())
        .put("maxPoolWaiting", options.getMaxPoolWaiting())
        .encode();
  }

  static RedisOptions redisOptions(SessionOptions options) {
    RedisOptions redis = new RedisOptions()
        .setConnectionString(options.getConnectionString())
        .setMaxPoolSize(options.getMaxPoolSize())
        .setMaxPoolWaiting(options.getMaxPoolWaiting());
    // A stalled Redis (or a vanished host) would otherwise hold each borrowed connection until TCP
    // gives up, minutes later, and with it its pool slot.
    redis.getNetClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.getTimeoutMs()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setReadIdleTimeout((int) Math.min(Integer.MAX_VALUE, options.getTimeoutMs() * STALLED_AFTER_TIMEOUTS));
    return redis;
  }

  /** A shared client and how many directories use it. */
  private static final class Holder implements Shareable {
    final Redis redis;
    int users;

    Holder(Redis redis) {
      this.redis = redis;
    }
  }
}
