package io.weft.service.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HandOffTest {

  private Vertx vertx;
  private final HandOff handOff = new HandOff();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void anItemRunsOnTheReceiversContextAfterTheSendersTask() throws Exception {
    ContextInternal receiverContext = (ContextInternal) vertx.getOrCreateContext();
    CompletableFuture<Context> ranOn = new CompletableFuture<>();
    handOff.register("a", receiverContext, (String item) -> ranOn.complete(Vertx.currentContext()));
    CompletableFuture<Boolean> ranInline = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      boolean taken = handOff.send("a", "x");
      ranInline.complete(!taken || ranOn.isDone());
    });
    assertThat(ranInline.get(5, TimeUnit.SECONDS)).as("taken, and not run inside the sender's task").isFalse();
    assertThat(ranOn.get(5, TimeUnit.SECONDS)).isSameAs(receiverContext);
  }

  @Test
  void receiversOfOneAddressTakeTurnsAndEachSeesItsItemsInOrder() throws Exception {
    List<Integer> first = new CopyOnWriteArrayList<>();
    List<Integer> second = new CopyOnWriteArrayList<>();
    CountDownLatch all = new CountDownLatch(100);
    handOff.register("calls", (ContextInternal) vertx.getOrCreateContext(), (Integer i) -> {
      first.add(i);
      all.countDown();
    });
    handOff.register("calls", (ContextInternal) vertx.getOrCreateContext(), (Integer i) -> {
      second.add(i);
      all.countDown();
    });
    for (int i = 0; i < 100; i++) {
      assertThat(handOff.send("calls", i)).isTrue();
    }
    assertThat(all.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(first).hasSize(50).isSorted();
    assertThat(second).hasSize(50).isSorted();
  }

  @Test
  void anAddressWithoutReceiversTakesNothing() {
    assertThat(handOff.send("nobody", "x")).isFalse();
    HandOff.Receiver gone = handOff.register("left", (ContextInternal) vertx.getOrCreateContext(), (String s) -> { });
    handOff.unregister(gone);
    assertThat(handOff.send("left", "x")).as("its only receiver unregistered").isFalse();
    handOff.unregister(null);
  }
}
