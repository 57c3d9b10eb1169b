package io.weft.core.events.impl;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by its SHA-1, with its text when Redis does not know it ({@code NOSCRIPT}), as
 * {@link io.weft.core.session.impl.LuaScript} does; arguments may be binary ({@code byte[]}), so
 * that MessagePack crosses unchanged.
 */
public final class Script {

  private final String text;
  private final String sha;

  public Script(String text) {
    this.text = text;
    this.sha = sha1(text);
  }

  public Future<Response> run(Redis redis, List<String> keys, List<?> args) {
    return redis.send(request(Command.EVALSHA, sha, keys, args))
        .recover(err -> isNoScript(err)
            ? redis.send(request(Command.EVAL, text, keys, args))
            : Future.failedFuture(err));
  }

  private static Request request(Command command, String script, List<String> keys, List<?> args) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    for (Object arg : args) {
      if (arg instanceof byte[] bytes) {
        request.arg(bytes);
      } else if (arg instanceof Number n) {
        request.arg(n.longValue());
      } else {
        request.arg(String.valueOf(arg));
      }
    }
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
