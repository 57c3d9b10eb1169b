package io.weft.core.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class TaskClockTest {

  @Test
  void withinOneTaskItIsTheTaskStart() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      CompletableFuture<long[]> seen = new CompletableFuture<>();
      vertx.getOrCreateContext().runOnContext(v -> {
        long before = System.nanoTime();
        long first = TaskClock.nanoTime();
        spin(2_000_000);
        seen.complete(new long[] {before, first, TaskClock.nanoTime(), System.nanoTime()});
      });
      long[] t = seen.get(10, TimeUnit.SECONDS);
      assertThat(t[1]).as("the task began before the handler read the clock").isLessThanOrEqualTo(t[0]);
      assertThat(t[2]).as("the same instant for the whole task").isEqualTo(t[1]);
      assertThat(t[3] - t[2]).as("while the system clock went on").isGreaterThanOrEqualTo(2_000_000);
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aLaterTaskSeesALaterTime() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      CompletableFuture<Long> first = new CompletableFuture<>();
      CompletableFuture<Long> second = new CompletableFuture<>();
      vertx.getOrCreateContext().runOnContext(v -> {
        first.complete(TaskClock.nanoTime());
        spin(1_000_000);
        vertx.runOnContext(w -> second.complete(TaskClock.nanoTime()));
      });
      assertThat(second.get(10, TimeUnit.SECONDS) - first.get()).isGreaterThanOrEqualTo(1_000_000);
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void offVertxThreadsItIsTheSystemClock() throws Exception {
    long before = System.nanoTime();
    long read = TaskClock.nanoTime();
    spin(1_000_000);
    assertThat(read).isGreaterThanOrEqualTo(before);
    assertThat(TaskClock.nanoTime() - read).isGreaterThanOrEqualTo(1_000_000);
    long[] onVirtual = new long[2];
    Thread virtual = Thread.ofVirtual().start(() -> {
      onVirtual[0] = TaskClock.nanoTime();
      spin(1_000_000);
      onVirtual[1] = TaskClock.nanoTime();
    });
    virtual.join();
    assertThat(onVirtual[1] - onVirtual[0]).isGreaterThanOrEqualTo(1_000_000);
  }

  /** Busy-waits: the point is a task that takes time without leaving the thread. */
  private static void spin(long nanos) {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }
}
