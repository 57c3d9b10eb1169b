package io.weft.core.auth.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.auth.impl.ReplayCache.Outcome;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ReplayCacheTest {

  @Test
  void aNonceIsRememberedUntilItsForgetTimeInclusive() {
    ReplayCache cache = new ReplayCache(10, 100);
    assertThat(cache.record("a", 10, 0)).isEqualTo(Outcome.FRESH);
    assertThat(cache.record("a", 50, 10)).isEqualTo(Outcome.REPLAYED);
    assertThat(cache.record("a", 50, 11)).as("forgotten, not yet swept: its slot is reused").isEqualTo(Outcome.FRESH);
    assertThat(cache.size()).isEqualTo(1);
    assertThat(cache.record("a", 60, 50)).isEqualTo(Outcome.REPLAYED);
  }

  @Test
  void atCapacityItRefusesAndSweepsAtMostOncePerInterval() {
    ReplayCache cache = new ReplayCache(2, 100);
    assertThat(cache.record("a", 10, 0)).isEqualTo(Outcome.FRESH);
    assertThat(cache.record("b", 1000, 0)).isEqualTo(Outcome.FRESH);
    assertThat(cache.record("c", 1000, 0)).isEqualTo(Outcome.FULL);
    assertThat(cache.record("c", 1000, 50)).as("a is forgotten, but the next sweep is at 100").isEqualTo(Outcome.FULL);
    assertThat(cache.record("c", 1000, 100)).isEqualTo(Outcome.FRESH);
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.record("b", 1000, 100)).as("nothing remembered is dropped to make room").isEqualTo(Outcome.REPLAYED);
  }

  @Test
  @Timeout(30)
  void theCapIsExactUnderConcurrency() throws Exception {
    int threads = 8;
    ReplayCache cache = new ReplayCache(1000, 60_000);
    Map<Outcome, AtomicInteger> counts = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) {
      counts.put(o, new AtomicInteger());
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      Future<?>[] done = new Future<?>[threads];
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done[t] = pool.submit(() -> {
          for (int i = 0; i < 500; i++) {
            counts.get(cache.record("n" + thread + "-" + i, 10_000, 1)).incrementAndGet();
            // and one nonce every thread presents
            counts.get(cache.record("shared-" + i, 10_000, 1)).incrementAndGet();
          }
        });
      }
      for (Future<?> f : done) {
        f.get(20, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(cache.size()).isEqualTo(1000);
    assertThat(counts.get(Outcome.FRESH)).hasValue(1000);
    assertThat(counts.get(Outcome.FRESH).get() + counts.get(Outcome.REPLAYED).get() + counts.get(Outcome.FULL).get())
        .isEqualTo(threads * 1000);
  }
}
