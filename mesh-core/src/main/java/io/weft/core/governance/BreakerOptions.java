package io.weft.core.governance;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * When a gate stops sending to one instance: after {@code consecutiveFailures} failures in a
 * row, or when at least {@code failureRatePercent} of its last {@code windowCalls} calls failed
 * (once {@code minCalls} were made). The circuit then stays open for {@code openMs}, then lets
 * {@code halfOpenCalls} probes through: all succeed and it closes, one fails and it opens again.
 * The state machine is resilience4j's.
 */
public record BreakerOptions(int consecutiveFailures, int failureRatePercent, int windowCalls, int minCalls,
                             long openMs, int halfOpenCalls) {

  public static final BreakerOptions DEFAULT = new BreakerOptions(5, 50, 50, 20, 5000, 3);

  public BreakerOptions {
    if (consecutiveFailures < 1) {
      throw new IllegalArgumentException("breaker.consecutiveFailures must be >= 1, but was " + consecutiveFailures);
    }
    if (failureRatePercent < 1 || failureRatePercent > 100) {
      throw new IllegalArgumentException("breaker.failureRatePercent must be 1..100, but was " + failureRatePercent);
    }
    if (windowCalls < 1) {
      throw new IllegalArgumentException("breaker.windowCalls must be >= 1, but was " + windowCalls);
    }
    if (minCalls < 1 || minCalls > windowCalls) {
      throw new IllegalArgumentException("breaker.minCalls must be 1..windowCalls (" + windowCalls + "), but was " + minCalls);
    }
    if (openMs < 1) {
      throw new IllegalArgumentException("breaker.openMs must be >= 1, but was " + openMs);
    }
    if (halfOpenCalls < 1) {
      throw new IllegalArgumentException("breaker.halfOpenCalls must be >= 1, but was " + halfOpenCalls);
    }
  }

  public static BreakerOptions fromJson(JsonObject json, BreakerOptions base) {
    if (json == null) {
      return base;
    }
    return new BreakerOptions(json.getInteger("consecutiveFailures", base.consecutiveFailures),
        json.getInteger("failureRatePercent", base.failureRatePercent), json.getInteger("windowCalls", base.windowCalls),
        json.getInteger("minCalls", Math.min(base.minCalls, json.getInteger("windowCalls", base.windowCalls))),
        json.getLong("openMs", base.openMs), json.getInteger("halfOpenCalls", base.halfOpenCalls));
  }

  public JsonObject toJson() {
    return new JsonObject().put("consecutiveFailures", consecutiveFailures).put("failureRatePercent", failureRatePercent)
        .put("windowCalls", windowCalls).put("minCalls", minCalls).put("openMs", openMs)
        .put("halfOpenCalls", halfOpenCalls);
  }

  /**
   * A breaker whose open-to-half-open move is left to its owner (a timer on the owner's event
   * loop), so that no scheduler thread of resilience4j's is involved.
   */
  public CircuitBreaker newBreaker(String name) {
    CircuitBreakerConfig config = CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(windowCalls)
        .minimumNumberOfCalls(minCalls)
        .failureRateThreshold(failureRatePercent)
        .waitDurationInOpenState(Duration.ofMillis(openMs))
        .permittedNumberOfCallsInHalfOpenState(halfOpenCalls)
        .automaticTransitionFromOpenToHalfOpenEnabled(false)
        .writableStackTraceEnabled(false)
        .build();
    return CircuitBreaker.of(name, config);
  }
}
