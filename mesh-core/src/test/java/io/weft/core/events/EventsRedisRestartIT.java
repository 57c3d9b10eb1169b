package io.weft.core.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.junit5.VertxExtension;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.test.RedisProcess;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A consumer across a crash and restart of a Redis of the test's own, which comes back empty:
 * publishing fails while it is away and works again after, and the consumer creates its group
 * again and goes on consuming, with no restart of its own.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class EventsRedisRestartIT {

  private RedisProcess redis;
  private EventStore store;
  private StreamConsumer<String> consumer;

  @BeforeEach
  void start() throws Exception {
    redis = RedisProcess.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (consumer != null) {
      consumer.stop(10).await(10, TimeUnit.SECONDS);
    }
    if (store != null) {
      store.close().await(10, TimeUnit.SECONDS);
    }
    redis.close();
  }

  @Test
  void afterRedisLostEverythingTheConsumerCreatesItsGroupAgainAndGoesOn(Vertx vertx) throws Exception {
    EventsOptions options = new EventsOptions().setRedis(redis.url()).setVisibilityTimeoutMs(300).setBlockMs(100)
        .setTimeoutMs(500);
    store = EventStore.create(vertx, options);
    Queue<String> handled = new ConcurrentLinkedQueue<>();
    consumer = new StreamConsumer<>(((VertxInternal) vertx).createEventLoopContext(), store, EventKeys.topic("t"),
        "test/svc", "c1", ConsumerSettings.of(options), new StreamConsumer.Handler<>() {
          @Override
          public String prepare(StreamEntry entry) {
            return ArgsCodec.decode(entry.data(), String.class);
          }

          @Override
          public Future<?> handle(StreamConsumer.Delivery<String> d) {
            handled.add(d.prepared());
            return Future.succeededFuture();
          }
        });
    // A cold JVM's first commands may take longer than the short timeout.
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> consumer.start("$").await(5, TimeUnit.SECONDS) == null);
    store.publish("t", ArgsCodec.encode("before"), "test", null, null).await(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains("before"));

    redis.kill();
    assertThat(store.publish("t", ArgsCodec.encode("lost"), "test", null, null)
        .toCompletionStage().toCompletableFuture().handle((id, err) -> err).get(5, TimeUnit.SECONDS))
        .as("publishing fails while Redis is away").isNotNull();
    redis.restart();

    // The group comes back at '$': events published before it did are not for it, so publish until one arrives.
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
      store.publish("t", ArgsCodec.encode("after"), "test", null, null).await(2, TimeUnit.SECONDS);
      return handled.contains("after");
    });
  }
}
