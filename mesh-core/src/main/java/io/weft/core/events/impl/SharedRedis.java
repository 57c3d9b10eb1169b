package io.weft.core.events.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.ThreadingModel;
import io.vertx.core.internal.CloseFuture;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.weft.core.events.EventsOptions;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Redis clients of events. Commands go through one pooled client per Vert.x instance and
 * Redis, shared by every service of the process and created on a context of its own, so that it
 * outlives the verticle that happened to ask first (the pattern of
 * {@link io.weft.core.session.impl.RedisClients}); it closes with its last user.
 * <p>
 * Blocking reads ({@code XREADGROUP ... BLOCK}) hold their connection while they wait, so each
 * consumer reads through a client of its own with one connection ({@link #reader}), which it
 * closes to stop at once.
 * <p>
 * Both speak RESP2, whose replies to stream commands have one shape whatever the server.
 */
public final class SharedRedis {

  private static final String SHARED_MAP = "weft.events-redis-clients";
  /** A command connection silent for this many timeouts is stalled (or idle: reopening it is cheap). */
  private static final int STALLED_AFTER_TIMEOUTS = 5;

  private SharedRedis() {
  }

  /** A shared client and how to let go of it. */
  public record Lease(Redis redis, Supplier<Future<Void>> release) {
  }

  public static Lease acquire(Vertx vertx, EventsOptions options) {
    LocalMap<String, Holder> holders = vertx.sharedData().getLocalMap(SHARED_MAP);
    String key = new JsonObject()
        .put("redis", options.getRedis())
        .put("timeoutMs", options.getTimeoutMs())
        .put("maxPoolSize", options.getMaxPoolSize())
        .put("maxPoolWaiting", options.getMaxPoolWaiting())
        .encode();
    synchronized (SharedRedis.class) {
      Holder holder = holders.get(key);
      if (holder == null) {
        holder = new Holder(createDetached(vertx, commandOptions(options)));
        holders.put(key, holder);
      }
      holder.users++;
      Holder acquired = holder;
      return new Lease(holder.redis, () -> release(holders, key, acquired));
    }
  }

  /**
   * A client with one connection for one consumer's blocking reads, detached like the shared one:
   * the consumer closes it when it stops.
   */
  public static Redis reader(Vertx vertx, EventsOptions options) {
    RedisOptions redis = base(options).setMaxPoolSize(1).setMaxPoolWaiting(4);
    // A read waits up to blockMs for entries before Redis answers: only silence well past that is a stall.
    long idle = Math.max(options.getTimeoutMs() * STALLED_AFTER_TIMEOUTS, options.getBlockMs() + options.getTimeoutMs() * 2);
    redis.getNetClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.getTimeoutMs()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setReadIdleTimeout((int) Math.min(Integer.MAX_VALUE, idle));
    return createDetached(vertx, redis);
  }

  private static Future<Void> release(LocalMap<String, Holder> holders, String key, Holder holder) {
    synchronized (SharedRedis.class) {
      if (--holder.users > 0) {
        return Future.succeededFuture();
      }
      holders.remove(key, holder);
    }
    return holder.redis.close();
  }

  /**
   * On a context of its own, with a close future of its own: Vert.x closes the clients created on
   * its contexts first when it closes, before it undeploys the verticles, which would cut the
   * services off Redis while they stop (releasing leases, acknowledging what finishes). This one
   * closes with its last user.
   */
  private static Redis createDetached(Vertx vertx, RedisOptions options) {
    ContextInternal own = ((VertxInternal) vertx).contextBuilder().withThreadingModel(ThreadingModel.EVENT_LOOP)
        .withCloseFuture(new CloseFuture()).build();
    Redis[] created = new Redis[1];
    own.dispatch(v -> created[0] = Redis.createClient(vertx, options));
    return created[0];
  }

  private static RedisOptions commandOptions(EventsOptions options) {
    RedisOptions redis = base(options)
        .setMaxPoolSize(options.getMaxPoolSize())
        .setMaxPoolWaiting(options.getMaxPoolWaiting());
    redis.getNetClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.getTimeoutMs()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setReadIdleTimeout((int) Math.min(Integer.MAX_VALUE, options.getTimeoutMs() * STALLED_AFTER_TIMEOUTS));
    return redis;
  }

  private static RedisOptions base(EventsOptions options) {
    return new RedisOptions()
        .setConnectionString(options.getRedis())
        .setPreferredProtocolVersion(ProtocolVersion.RESP2);
  }

  private static final class Holder implements Shareable {
    final Redis redis;
    int users;

    Holder(Redis redis) {
      this.redis = redis;
    }
  }
}
