package io.weft.core.session;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Objects;

/**
 * Which session directory a process uses: {@code {"type": "local"}} (in-JVM, the default) or
 * {@code {"type": "redis", "connectionString": "redis://127.0.0.1:6379", "ttlSeconds": 3600}}.
 * <p>
 * {@code ttlSeconds} bounds how long the binding of a gate that died keeps pointing at it. Such a
 * binding does little harm: a push to it finds no connection and reports the client offline, and
 * the client's next login anywhere replaces it. So the TTL can be long, which keeps the refreshes
 * of live bindings cheap: with an hour, a gate refreshing every 20 minutes sends a million
 * bindings' refreshes at about 830 a second, in batches. What rules out days: until it expires, a
 * stale binding shows a client that left with its gate as online.
 * <p>
 * {@code timeoutMs} bounds every call: a Redis that stalls fails logins and lookups within it
 * instead of holding them; a connection that has read nothing for five times as long is
 * closed and replaced, so a stalled one does not keep its pool slot. {@code maxPoolSize} and
 * {@code maxPoolWaiting} size the connection pool (each call holds one connection for its round
 * trip); the waiting queue is deep enough for a burst of logins after a gate restarts.
 */
public class SessionOptions {

  public enum Type { LOCAL, REDIS }

  public static final Type DEFAULT_TYPE = Type.LOCAL;
  public static final String DEFAULT_CONNECTION_STRING = "redis://127.0.0.1:6379";
  public static final int DEFAULT_TTL_SECONDS = 3600;
  public static final long DEFAULT_TIMEOUT_MS = 2_000;
  public static final int DEFAULT_MAX_POOL_SIZE = 8;
  public static final int DEFAULT_MAX_POOL_WAITING = 1024;

  private Type type = DEFAULT_TYPE;
  private String connectionString = DEFAULT_CONNECTION_STRING;
  private int ttlSeconds = DEFAULT_TTL_SECONDS;
  private long timeoutMs = DEFAULT_TIMEOUT_MS;
  private int maxPoolSize = DEFAULT_MAX_POOL_SIZE;
  private int maxPoolWaiting = DEFAULT_MAX_POOL_WAITING;

  public SessionOptions() {
  }

  public SessionOptions(SessionOptions other) {
    this.type = other.type;
    this.connectionString = other.connectionString;
    this.ttlSeconds = other.ttlSeconds;
    this.timeoutMs = other.timeoutMs;
    this.maxPoolSize = other.maxPoolSize;
    this.maxPoolWaiting = other.maxPoolWaiting;
  }

  public SessionOptions(JsonObject json) {
    String typeName = json.getString("type", DEFAULT_TYPE.name());
    try {
      setType(Type.valueOf(typeName.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("session.type must be 'local' or 'redis', but was '" + typeName + "'");
    }
    setConnectionString(json.getString("connectionString", DEFAULT_CONNECTION_STRING));
    setTtlSeconds(json.getInteger("ttlSeconds", DEFAULT_TTL_SECONDS));
    setTimeoutMs(json.getLong("timeoutMs", DEFAULT_TIMEOUT_MS));
    setMaxPoolSize(json.getInteger("maxPoolSize", DEFAULT_MAX_POOL_SIZE));
    setMaxPoolWaiting(json.getInteger("maxPoolWaiting", DEFAULT_MAX_POOL_WAITING));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("type", type.name().toLowerCase(Locale.ROOT))
        .put("connectionString", connectionString)
        .put("ttlSeconds", ttlSeconds)
        .put("timeoutMs", timeoutMs)
        .put("maxPoolSize", maxPoolSize)
        .put("maxPoolWaiting", maxPoolWaiting);
  }

  public Type getType() {
    return type;
  }

  public SessionOptions setType(Type type) {
    this.type = Objects.requireNonNull(type, "type");
    return this;
  }

  public String getConnectionString() {
    return connectionString;
  }

  /** {@code redis://[[user]:password@]host[:port][/db]}, {@code rediss://...} (TLS) or {@code unix://path}. */
  public SessionOptions setConnectionString(String connectionString) {
    String s = connectionString == null ? "" : connectionString.trim();
    boolean knownScheme = s.startsWith("redis://") || s.startsWith("rediss://") || s.startsWith("unix://");
    if (!knownScheme || s.endsWith("://")) {
      throw new IllegalArgumentException("session.connectionString must look like redis://host:port, but was '"
          + withoutPassword(s) + "'");
    }
    this.connectionString = s;
    return this;
  }

  /** The connection string as it may be logged. */
  static String withoutPassword(String connectionString) {
    return connectionString.replaceAll("//[^/@]*@", "//***@");
  }

  public int getTtlSeconds() {
    return ttlSeconds;
  }

  public SessionOptions setTtlSeconds(int ttlSeconds) {
    if (ttlSeconds < 1) {
      throw new IllegalArgumentException("session.ttlSeconds must be >= 1, but was " + ttlSeconds);
    }
    this.ttlSeconds = ttlSeconds;
    return this;
  }

  public long getTimeoutMs() {
    return timeoutMs;
  }

  public SessionOptions setTimeoutMs(long timeoutMs) {
    if (timeoutMs < 10) {
      throw new IllegalArgumentException("session.timeoutMs must be >= 10, but was " + timeoutMs);
    }
    this.timeoutMs = timeoutMs;
    return this;
  }

  public int getMaxPoolSize() {
    return maxPoolSize;
  }

  public SessionOptions setMaxPoolSize(int maxPoolSize) {
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("session.maxPoolSize must be >= 1, but was " + maxPoolSize);
    }
    this.maxPoolSize = maxPoolSize;
    return this;
  }

  public int getMaxPoolWaiting() {
    return maxPoolWaiting;
  }

  public SessionOptions setMaxPoolWaiting(int maxPoolWaiting) {
    if (maxPoolWaiting < 1) {
      throw new IllegalArgumentException("session.maxPoolWaiting must be >= 1, but was " + maxPoolWaiting);
    }
    this.maxPoolWaiting = maxPoolWaiting;
    return this;
  }
}
