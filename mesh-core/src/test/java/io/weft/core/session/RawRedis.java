package io.weft.core.session;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.concurrent.TimeUnit;

/** Plain Redis commands, for tests that look under a directory or damage what it stores. */
final class RawRedis implements AutoCloseable {

  private final Redis redis;

  RawRedis(Vertx vertx, String url) {
    this.redis = Redis.createClient(vertx, url);
  }

  Response call(String command, Object... args) throws Exception {
    return redis.send(Request.cmd(Command.create(command), args)).await(10, TimeUnit.SECONDS);
  }

  long ttl(String key) throws Exception {
    return call("TTL", key).toLong();
  }

  @Override
  public void close() throws Exception {
    redis.close().await(10, TimeUnit.SECONDS);
  }
}
