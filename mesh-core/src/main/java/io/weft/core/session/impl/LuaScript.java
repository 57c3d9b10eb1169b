package io.weft.core.session.impl;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}), so that the script's text crosses the network
 * once per Redis process rather than once per call. A Redis that does not know it (it restarted,
 * or ran {@code SCRIPT FLUSH}) answers {@code NOSCRIPT}; the call is then sent again with the text
 * ({@code EVAL}), which also caches the script there for the next calls.
 */
public final class LuaScript {

  private final String text;
  private final String sha;

  public LuaScript(String text) {
    this.text = text;
    this.sha = sha1(text);
  }

  public Future<Response> run(RedisConnection redis, List<String> keys, List<String> args) {
    return redis.send(request(Command.EVALSHA, sha, keys, args))
        .recover(err -> isNoScript(err)
            ? redis.send(request(Command.EVAL, text, keys, args))
            : Future.failedFuture(err));
  }

  private static Request request(Command command, String script, List<String> keys, List<String> args) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return request;
  }

  private static boolean isNoScript(Throwable err) {
    String message = err.getMessage();
    return message != null && (message.startsWith("NOSCRIPT") || message.startsWith("ERR NOSCRIPT"));
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
  }
}
