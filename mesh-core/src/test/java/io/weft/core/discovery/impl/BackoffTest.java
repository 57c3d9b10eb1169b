package io.weft.core.discovery.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void delaysDoubleUpToTheCapWithJitterInTheUpperHalfOfEachStep() {
    Backoff backoff = new Backoff(100, 5_000);
    long[] steps = {100, 200, 400, 800, 1600, 3200, 5000, 5000};
    for (long step : steps) {
      assertThat(backoff.next()).isBetween(step / 2, step);
    }
  }

  @Test
  void resetStartsOverFromTheInitialDelay() {
    Backoff backoff = new Backoff(100, 5_000);
    for (int i = 0; i < 10; i++) {
      backoff.next();
    }
    backoff.reset();
    assertThat(backoff.next()).isBetween(50L, 100L);
  }

  @Test
  void refusesBoundsThatMakeNoSense() {
    assertThatThrownBy(() -> new Backoff(0, 10)).hasMessageContaining("initialMs");
    assertThatThrownBy(() -> new Backoff(100, 10)).hasMessageContaining("maxMs");
  }
}
