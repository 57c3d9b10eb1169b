package io.weft.core.session;

import io.vertx.core.Vertx;
import io.weft.core.session.impl.RedisClients;

/**
 * Creates the session directory a config names. Every verticle of one Vert.x instance that asks
 * for the same Redis gets a directory of its own (its own TTL, closed on its own) over one shared
 * client and connection pool, not a pool per verticle; the client closes with its last directory.
 */
public final class SessionDirectories {

  private SessionDirectories() {
  }

  public static SessionDirectory create(Vertx vertx, SessionOptions options) {
    return switch (options.getType()) {
      case LOCAL -> LocalSessionDirectory.get(vertx, options);
      case REDIS -> {
        RedisClients.Lease lease = RedisClients.acquire(vertx, options);
        yield new RedisSessionDirectory(lease.redis(), options, lease.release());
      }
    };
  }
}
