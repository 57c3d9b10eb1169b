package io.weft.core.governance;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import io.vertx.core.json.JsonObject;

/**
 * How many calls one service instance runs at once and how many may wait: beyond
 * {@code maxConcurrent} running calls, up to {@code queueSize} more wait their turn, and any
 * further call is refused with 8. With {@code adaptive}, the running limit moves between
 * {@code minConcurrent} and {@code maxConcurrent} with the latency the instance shows (Netflix's
 * gradient algorithm: latency growing above its no-load level shrinks the limit).
 */
public record ConcurrencyOptions(int maxConcurrent, int queueSize, boolean adaptive, int minConcurrent) {

  public static final ConcurrencyOptions DEFAULT = new ConcurrencyOptions(1000, 10_000, false, 20);

  public ConcurrencyOptions {
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("concurrency.maxConcurrent must be >= 1, but was " + maxConcurrent);
    }
    if (queueSize < 0) {
      throw new IllegalArgumentException("concurrency.queueSize must be >= 0, but was " + queueSize);
    }
    if (minConcurrent < 1 || minConcurrent > maxConcurrent) {
      throw new IllegalArgumentException("concurrency.minConcurrent must be 1..maxConcurrent (" + maxConcurrent
          + "), but was " + minConcurrent);
    }
  }

  public static ConcurrencyOptions fromJson(JsonObject json) {
    if (json == null) {
      return DEFAULT;
    }
    int max = json.getInteger("maxConcurrent", DEFAULT.maxConcurrent);
    return new ConcurrencyOptions(max, json.getInteger("queueSize", DEFAULT.queueSize),
        json.getBoolean("adaptive", DEFAULT.adaptive), json.getInteger("minConcurrent", Math.min(DEFAULT.minConcurrent, max)));
  }

  public JsonObject toJson() {
    return new JsonObject().put("maxConcurrent", maxConcurrent).put("queueSize", queueSize).put("adaptive", adaptive)
        .put("minConcurrent", minConcurrent);
  }

  /** The limit algorithm these options describe. */
  Limit newLimit() {
    if (!adaptive) {
      return FixedLimit.of(maxConcurrent);
    }
    return Gradient2Limit.newBuilder()
        .initialLimit(Math.max(minConcurrent, Math.min(maxConcurrent, 100)))
        .minLimit(minConcurrent)
        .maxConcurrency(maxConcurrent)
        .build();
  }
}
