package io.weft.core.governance;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.local.SynchronizationStrategy;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * A token bucket's settings: {@code perSecond} tokens refill each second, up to {@code burst}
 * (default: one second's worth). Buckets are Bucket4j's.
 */
public record RateLimit(long perSecond, long burst) {

  public RateLimit {
    if (perSecond < 1) {
      throw new IllegalArgumentException("rateLimit.perSecond must be >= 1, but was " + perSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("rateLimit.burst must be >= 1, but was " + burst);
    }
  }

  /** {@code {"perSecond": 1000, "burst": 2000}}, or {@code null} when {@code json} is null. */
  public static RateLimit fromJson(JsonObject json) {
    if (json == null) {
      return null;
    }
    long perSecond = json.getLong("perSecond", 0L);
    return new RateLimit(perSecond, json.getLong("burst", perSecond));
  }

  public JsonObject toJson() {
    return new JsonObject().put("perSecond", perSecond).put("burst", burst);
  }

  /** A bucket for one event loop (no synchronization). */
  public Bucket newLocalBucket() {
    return build(SynchronizationStrategy.NONE);
  }

  /** A bucket shared between threads (lock-free). */
  public Bucket newSharedBucket() {
    return build(SynchronizationStrategy.LOCK_FREE);
  }

  private Bucket build(SynchronizationStrategy sync) {
    return Bucket.builder()
        .addLimit(limit -> limit.capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)))
        .withSynchronizationStrategy(sync)
        .build();
  }
}
