package io.weft.core.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConcurrencyLimiterTest {

  private final List<Integer> started = new ArrayList<>();

  @Test
  void admitsUpToTheLimitQueuesUpToTheQueueAndRefusesTheRest() {
    ConcurrencyLimiter<Integer> limiter = new ConcurrencyLimiter<>(new ConcurrencyOptions(2, 3, false, 1), "test",
        started::add);
    for (int i = 1; i <= 5; i++) {
      assertThat(limiter.offer(i)).isTrue();
    }
    assertThat(limiter.offer(6)).as("queue full").isFalse();
    assertThat(started).containsExactly(1, 2);
    assertThat(limiter.queued()).isEqualTo(3);
    limiter.release(System.nanoTime(), 1_000_000, false);
    assertThat(started).containsExactly(1, 2, 3);
    limiter.release(System.nanoTime(), 1_000_000, false);
    limiter.release(System.nanoTime(), 1_000_000, false);
    assertThat(started).containsExactly(1, 2, 3, 4, 5);
    assertThat(limiter.inFlight()).isEqualTo(2);
    assertThat(limiter.refused()).isEqualTo(1);
  }

  @Test
  void queuedCallsKeepTheirOrderAndNewCallsDoNotJumpTheQueue() {
    ConcurrencyLimiter<Integer> limiter = new ConcurrencyLimiter<>(new ConcurrencyOptions(1, 10, false, 1), "test",
        started::add);
    limiter.offer(1);
    limiter.offer(2);
    limiter.offer(3);
    limiter.release(System.nanoTime(), 1, false);
    limiter.offer(4);
    limiter.release(System.nanoTime(), 1, false);
    limiter.release(System.nanoTime(), 1, false);
    assertThat(started).containsExactly(1, 2, 3, 4);
  }

  @Test
  void anAdaptiveLimitShrinksWhenLatencyGrows() {
    ConcurrencyLimiter<Integer> limiter = new ConcurrencyLimiter<>(new ConcurrencyOptions(200, 1000, true, 5), "test",
        started::add);
    long now = System.nanoTime();
    int next = 0;
    while (next < 400) {
      limiter.offer(next++);
    }
    // the pipe stays full: first at its no-load latency, then ten times slower (saturated)
    for (int i = 0; i < 1000; i++) {
      limiter.release(now, 1_000_000L, false);
      limiter.offer(next++);
    }
    int settled = limiter.limit();
    for (int i = 0; i < 100; i++) {
      limiter.release(now, 10_000_000L, false);
      limiter.offer(next++);
    }
    assertThat(limiter.limit()).isLessThan(settled).isGreaterThanOrEqualTo(5);
  }

  @Test
  void optionsRoundTripAndRefuseBadValues() {
    ConcurrencyOptions o = new ConcurrencyOptions(50, 100, true, 10);
    assertThat(ConcurrencyOptions.fromJson(o.toJson())).isEqualTo(o);
    assertThat(ConcurrencyOptions.fromJson(null)).isEqualTo(ConcurrencyOptions.DEFAULT);
    assertThat(ConcurrencyOptions.fromJson(new JsonObject().put("maxConcurrent", 8)).minConcurrent()).isEqualTo(8);
    assertThatThrownBy(() -> new ConcurrencyOptions(0, 1, false, 1)).hasMessageContaining("maxConcurrent");
    assertThatThrownBy(() -> new ConcurrencyOptions(5, -1, false, 1)).hasMessageContaining("queueSize");
    assertThatThrownBy(() -> new ConcurrencyOptions(5, 1, true, 6)).hasMessageContaining("minConcurrent");
  }
}
