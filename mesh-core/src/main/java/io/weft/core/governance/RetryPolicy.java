package io.weft.core.governance;

import io.vertx.core.json.JsonObject;

/**
 * How a gate handles a failed attempt: the {@link FailMode}, how many more attempts it may make,
 * the backoff before each (doubling, with jitter, never past the call's deadline), and an
 * optional per-attempt timeout (0: an attempt may use the whole budget).
 */
public record RetryPolicy(FailMode mode, int retries, long backoffMs, long attemptTimeoutMs) {

  public static final RetryPolicy DEFAULT = new RetryPolicy(FailMode.FAILFAST, 2, 10, 0);

  public RetryPolicy {
    if (mode == null) {
      throw new IllegalArgumentException("failMode must be set");
    }
    if (retries < 0 || retries > 10) {
      throw new IllegalArgumentException("retries must be 0..10, but was " + retries);
    }
    if (backoffMs < 0) {
      throw new IllegalArgumentException("retryBackoffMs must be >= 0, but was " + backoffMs);
    }
    if (attemptTimeoutMs < 0) {
      throw new IllegalArgumentException("attemptTimeoutMs must be >= 0, but was " + attemptTimeoutMs);
    }
  }

  /** Reads {@code failMode}, {@code retries}, {@code retryBackoffMs}, {@code attemptTimeoutMs}, defaulting to {@code base}. */
  public static RetryPolicy fromJson(JsonObject json, RetryPolicy base) {
    FailMode mode = FailMode.fromName(json.getString("failMode"));
    return new RetryPolicy(mode == null ? base.mode : mode, json.getInteger("retries", base.retries),
        json.getLong("retryBackoffMs", base.backoffMs), json.getLong("attemptTimeoutMs", base.attemptTimeoutMs));
  }

  public JsonObject toJson() {
    return new JsonObject().put("failMode", mode.wireName()).put("retries", retries)
        .put("retryBackoffMs", backoffMs).put("attemptTimeoutMs", attemptTimeoutMs);
  }

  public RetryPolicy withMode(FailMode mode) {
    return new RetryPolicy(mode, retries, backoffMs, attemptTimeoutMs);
  }
}
