package io.weft.core.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.junit5.VertxExtension;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.test.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link StreamConsumer} against the shared Redis, with short timeouts: groups, sharing, restarts,
 * retries and dead letters, takeovers of dead consumers, and ordered consumption across a crash.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class StreamConsumerIT {

  static final long VISIBILITY_MS = 300;

  record Ev(String key, int seq) {
  }

  /** One handler run: who ran what, which attempt. */
  record Run(String consumer, String id, Ev event, int attempt) {
  }

  private Vertx vertx;
  private EventStore store;
  private String topic;
  private String stream;
  private final List<StreamConsumer<Ev>> consumers = new ArrayList<>();

  static EventsOptions options() {
    return new EventsOptions().setRedis(TestServers.redis()).setVisibilityTimeoutMs(VISIBILITY_MS)
        .setRetryDelayMs(50).setBlockMs(100).setMaxAttempts(3).setTimeoutMs(5000);
  }

  @BeforeEach
  void open(Vertx vertx) {
    this.vertx = vertx;
    store = EventStore.create(vertx, options());
    topic = "test." + UUID.randomUUID();
    stream = EventKeys.topic(topic);
  }

  @AfterEach
  void close() throws Exception {
    for (StreamConsumer<Ev> c : consumers) {
      c.stop(10).await(10, TimeUnit.SECONDS);
    }
    store.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.DEL).arg(stream)
        .arg(EventKeys.deadLetters(stream, "t/a")).arg(EventKeys.deadLetters(stream, "t/b"))).await(10, TimeUnit.SECONDS);
    store.close().await(10, TimeUnit.SECONDS);
  }

  private String publish(String key, int seq) throws Exception {
    return store.publish(topic, ArgsCodec.encode(new Ev(key, seq)), "test", null, key).await(10, TimeUnit.SECONDS);
  }

  private static ConsumerSettings settings() {
    return ConsumerSettings.of(options());
  }

  /** A consumer whose handler records each run and answers with what {@code outcome} says. */
  private StreamConsumer<Ev> consumer(String group, String name, ConsumerSettings settings, Queue<Run> runs,
                                      Function<Run, Future<?>> outcome) throws Exception {
    ContextInternal context = ((VertxInternal) vertx).createEventLoopContext();
    StreamConsumer<Ev> c = new StreamConsumer<>(context, store, stream, group, name, settings,
        new StreamConsumer.Handler<>() {
          @Override
          public Ev prepare(StreamEntry entry) {
            return ArgsCodec.decode(entry.data(), Ev.class);
          }

          @Override
          public Future<?> handle(StreamConsumer.Delivery<Ev> d) {
            Run run = new Run(name, d.entry().id(), d.prepared(), d.attempt());
            runs.add(run);
            return outcome.apply(run);
          }
        });
    consumers.add(c);
    c.start("$").await(10, TimeUnit.SECONDS);
    return c;
  }

  private static Future<?> ok(Run run) {
    return Future.succeededFuture();
  }

  @Test
  void everyGroupGetsEachEventOnceAndTheConsumersOfAGroupShareThem() throws Exception {
    Queue<Run> a = new ConcurrentLinkedQueue<>();
    Queue<Run> b = new ConcurrentLinkedQueue<>();
    consumer("t/a", "a1", settings(), a, StreamConsumerIT::ok);
    consumer("t/a", "a2", settings(), a, StreamConsumerIT::ok);
    consumer("t/b", "b1", settings(), b, StreamConsumerIT::ok);
    for (int i = 0; i < 100; i++) {
      publish("k", i);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> a.size() >= 100 && b.size() >= 100);
    await().during(Duration.ofMillis(VISIBILITY_MS * 2)).atMost(Duration.ofSeconds(5))
        .until(() -> a.size() == 100 && b.size() == 100);
    assertThat(a.stream().map(r -> r.event().seq()).distinct().count()).isEqualTo(100);
    assertThat(a.stream().map(Run::consumer).distinct()).as("both instances took a share").hasSize(2);
    assertThat(b.stream().map(r -> r.event().seq()).distinct().count()).isEqualTo(100);
    assertThat(a).allSatisfy(r -> assertThat(r.attempt()).isEqualTo(1));
    assertThat(pending("t/a")).isZero();
  }

  private long pending(String group) throws Exception {
    return store.groups(stream).await(10, TimeUnit.SECONDS).stream().filter(g -> g.name().equals(group))
        .findFirst().orElseThrow().pending();
  }

  @Test
  void aGroupWhoseConsumersWereAllDownGetsWhatWasPublishedMeanwhile() throws Exception {
    Queue<Run> runs = new ConcurrentLinkedQueue<>();
    StreamConsumer<Ev> first = consumer("t/a", "a1", settings(), runs, StreamConsumerIT::ok);
    publish("k", 0);
    await().atMost(Duration.ofSeconds(10)).until(() -> runs.size() == 1);
    first.stop(100).await(10, TimeUnit.SECONDS);
    for (int i = 1; i <= 20; i++) {
      publish("k", i);
    }
    consumer("t/a", "a1-restarted", settings(), runs, StreamConsumerIT::ok);
    await().atMost(Duration.ofSeconds(10)).until(() -> runs.size() >= 21);
    assertThat(runs.stream().map(r -> r.event().seq()).toList()).containsExactlyElementsOf(
        java.util.stream.IntStream.rangeClosed(0, 20).boxed().toList());
  }

  @Test
  void aHandlerFailingMaxAttemptsTimesLandsInTheDeadLettersAndAReplayIsHandledByThatGroupOnly() throws Exception {
    Queue<Run> a = new ConcurrentLinkedQueue<>();
    Queue<Run> b = new ConcurrentLinkedQueue<>();
    Map<Integer, Boolean> healed = new ConcurrentHashMap<>();
    StreamConsumer<Ev> failing = consumer("t/a", "a1", settings(), a, run -> run.event().seq() == 7 && !healed.containsKey(7)
        ? Future.failedFuture(new IllegalStateException("no xp table for seq 7"))
        : Future.succeededFuture());
    consumer("t/b", "b1", settings(), b, StreamConsumerIT::ok);
    publish("k", 6);
    String seven = publish("k", 7);
    publish("k", 8);

    EventAdmin admin = EventAdmin.over(store);
    await().atMost(Duration.ofSeconds(10)).until(() -> admin.deadLetters(topic, "t/a", 10).await(5, TimeUnit.SECONDS).size() == 1);
    EventAdmin.DeadLetter dead = admin.deadLetters(topic, "t/a", 10).await(5, TimeUnit.SECONDS).get(0);
    assertThat(dead.origin()).isEqualTo(seven);
    assertThat(dead.attempts()).isEqualTo(3);
    assertThat(dead.reason()).isEqualTo("no xp table for seq 7");
    assertThat(dead.consumer()).isEqualTo("a1");
    assertThat(ArgsCodec.decode(dead.entry().data(), Ev.class)).isEqualTo(new Ev("k", 7));
    assertThat(a.stream().filter(r -> r.event().seq() == 7).map(Run::attempt).toList()).containsExactly(1, 2, 3);
    assertThat(pending("t/a")).as("acknowledged once dead").isZero();
    await().atMost(Duration.ofSeconds(5)).until(() -> failing.stats().deadLettered() == 1);

    healed.put(7, true);
    assertThat(admin.replayDeadLetters(topic, "t/a", 10).await(5, TimeUnit.SECONDS)).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> a.stream().filter(r -> r.event().seq() == 7).count() == 4);
    assertThat(admin.deadLetters(topic, "t/a", 10).await(5, TimeUnit.SECONDS)).isEmpty();
    await().during(Duration.ofMillis(VISIBILITY_MS)).atMost(Duration.ofSeconds(5)).until(() -> b.size() == 3);
    assertThat(b.stream().map(r -> r.event().seq()).toList()).as("the replay was for t/a only").containsExactly(6, 7, 8);
  }

  @Test
  void aFailedHandlerIsTriedAgainAndThenSucceeds() throws Exception {
    Queue<Run> runs = new ConcurrentLinkedQueue<>();
    consumer("t/a", "a1", settings(), runs, run -> run.attempt() < 2
        ? Future.failedFuture(new IllegalStateException("flaky")) : Future.succeededFuture());
    publish("k", 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> runs.size() == 2);
    await().atMost(Duration.ofSeconds(5)).until(() -> pending("t/a") == 0);
    assertThat(runs.stream().map(Run::attempt).toList()).containsExactly(1, 2);
  }

  @Test
  void entriesOfAConsumerThatDiedAreTakenOverAfterTheVisibilityTimeout() throws Exception {
    Queue<Run> runs = new ConcurrentLinkedQueue<>();
    StreamConsumer<Ev> doomed = consumer("t/a", "doomed", settings(), runs, run -> Promise.promise().future());
    publish("k", 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> runs.size() == 1);
    doomed.crash().await(5, TimeUnit.SECONDS);
    long crashed = System.nanoTime();
    consumer("t/a", "survivor", settings(), runs, StreamConsumerIT::ok);
    await().atMost(Duration.ofSeconds(10)).until(() -> runs.size() == 2);
    long tookMs = (System.nanoTime() - crashed) / 1_000_000;
    Run again = new ArrayList<>(runs).get(1);
    assertThat(again.consumer()).isEqualTo("survivor");
    assertThat(again.attempt()).isEqualTo(2);
    // Idle since the dead consumer last renewed it, at most a third of the timeout before it died.
    assertThat(tookMs).as("taken over once idle for the visibility timeout")
        .isGreaterThanOrEqualTo(VISIBILITY_MS * 2 / 3 - 20);
    await().atMost(Duration.ofSeconds(5)).until(() -> pending("t/a") == 0);
  }

  @Test
  void aSlowHandlerOfALiveConsumerIsNotTakenOver() throws Exception {
    Queue<Run> runs = new ConcurrentLinkedQueue<>();
    consumer("t/a", "slow", settings(), runs, run -> {
      Promise<Void> p = Promise.promise();
      vertx.setTimer(VISIBILITY_MS * 4, t -> p.complete());
      return p.future();
    });
    consumer("t/a", "other", settings(), runs, run -> {
      Promise<Void> p = Promise.promise();
      vertx.setTimer(VISIBILITY_MS * 4, t -> p.complete());
      return p.future();
    });
    publish("k", 1);
    publish("k", 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> pending("t/a") == 0 && runs.size() >= 2);
    assertThat(runs).hasSize(2).allSatisfy(r -> assertThat(r.attempt()).isEqualTo(1));
  }

  @Test
  void orderedConsumersHandleEachKeyInOrderAcrossACrashOfTheHolder() throws Exception {
    ConsumerSettings ordered = settings().withOrdered(4).withMaxAttempts(10);
    Queue<Run> runs = new ConcurrentLinkedQueue<>();
    List<String> stall = Collections.synchronizedList(new ArrayList<>());
    Function<Run, Future<?>> handler = run -> {
      Promise<Void> p = Promise.promise();
      if (run.event().seq() == 20 && run.consumer().equals(stall.isEmpty() ? "" : stall.get(0))) {
        return p.future(); // the holder hangs here, and then dies
      }
      // Keys fail now and then, and take a little while: order must hold through retries.
      if (run.attempt() == 1 && run.event().seq() % 7 == 3) {
        return Future.failedFuture(new IllegalStateException("flaky"));
      }
      vertx.setTimer(1 + run.event().seq() % 3, t -> p.complete());
      return p.future();
    };
    StreamConsumer<Ev> x = consumer("t/a", "x", ordered, runs, handler);
    StreamConsumer<Ev> y = consumer("t/a", "y", ordered, runs, handler);
    await().atMost(Duration.ofSeconds(5)).until(() -> x.stats().leaseHeld() || y.stats().leaseHeld());
    StreamConsumer<Ev> holder = x.stats().leaseHeld() ? x : y;
    StreamConsumer<Ev> standby = holder == x ? y : x;
    assertThat(standby.stats().leaseHeld()).isFalse();
    stall.add(holder.stats().consumer());

    int keys = 5;
    int perKey = 40;
    for (int seq = 0; seq < perKey; seq++) {
      for (int k = 0; k < keys; k++) {
        publish("key-" + k, seq);
      }
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> runs.stream().anyMatch(r -> r.event().seq() == 20));
    holder.crash().await(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(20)).until(() -> standby.stats().handled() > 0 && pending("t/a") == 0
        && handledKeys(runs, perKey) == keys);

    for (int k = 0; k < keys; k++) {
      String key = "key-" + k;
      List<Integer> order = runs.stream().filter(r -> r.event().key().equals(key)).map(r -> r.event().seq()).toList();
      assertThat(order).as("runs of " + key + " never go back in the stream").isSorted();
      assertThat(order).as("every event of " + key).containsAll(java.util.stream.IntStream.range(0, perKey).boxed().toList());
    }
    assertThat(runs.stream().filter(r -> r.consumer().equals(standby.stats().consumer())).map(r -> r.event().seq()))
        .as("the standby took over from where the holder stopped").contains(20);
  }

  @Test
  void consumersWithNothingPendingAreForgottenOnceIdleAndTheOthersKept() throws Exception {
    store.createGroup(stream, "t/a", "0").await(5, TimeUnit.SECONDS);
    publish("k", 1);
    publish("k", 2);
    var reader = store.newReader();
    try {
      List<StreamEntry> ghost = store.read(reader, stream, "t/a", "ghost", 1, 100).await(5, TimeUnit.SECONDS);
      store.read(reader, stream, "t/a", "busy", 1, 100).await(5, TimeUnit.SECONDS);
      store.ack(stream, "t/a", ghost.get(0).id(), false).await(5, TimeUnit.SECONDS);
    } finally {
      reader.close();
    }
    assertThat(store.forgetConsumers(stream, "t/a", 0).await(5, TimeUnit.SECONDS)).isEqualTo(1);
    var consumers = store.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.XINFO).arg("CONSUMERS")
        .arg(stream).arg("t/a")).await(5, TimeUnit.SECONDS);
    assertThat(consumers.size()).isEqualTo(1);
    assertThat(consumers.get(0).get(1).toString()).as("the one with an entry pending").isEqualTo("busy");
    assertThat(store.forgetConsumers(stream, "t/a", 3_600_000).await(5, TimeUnit.SECONDS)).isZero();
  }

  private static long handledKeys(Queue<Run> runs, int perKey) {
    return runs.stream().filter(r -> r.event().seq() == perKey - 1).map(r -> r.event().key()).distinct().count();
  }
}
