package io.weft.service;

import static io.weft.service.FakeGate.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.events.EventAdmin;
import io.weft.core.events.EventKeys;
import io.weft.core.events.EventStore;
import io.weft.core.events.EventsOptions;
import io.weft.core.events.PersistentCallOptions;
import io.weft.core.events.PublishOptions;
import io.weft.core.events.StreamEntry;
import io.weft.core.test.TestServers;
import io.weft.service.EventfulService.Gift;
import io.weft.service.EventfulService.Grant;
import io.weft.service.EventfulService.Handled;
import io.weft.service.EventfulService.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Events and persistent calls between service hosts, on the shared Redis: every subscribing
 * service gets each event, its instances share them, a service that was down catches up, dead
 * letters and replays, ordered subscriptions over two instances, persistent calls stored, run once
 * and de-duplicated, and what happens without Redis.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class EventsIT {

  private Vertx vertx;
  private String namespace;
  private String topic;
  private EventStore store;
  private final List<EventfulService> instances = new ArrayList<>();

  static EventsOptions events() {
    return new EventsOptions().setRedis(TestServers.redis()).setVisibilityTimeoutMs(300).setRetryDelayMs(50)
        .setBlockMs(100).setMaxAttempts(3).setTimeoutMs(5000);
  }

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    namespace = "it-" + UUID.randomUUID().toString().substring(0, 8);
    topic = "gift.sent." + namespace;
    store = EventStore.create(vertx, events());
  }

  @AfterEach
  void tearDown() {
    join(store.close());
  }

  private ServiceOptions options(String name) {
    return new ServiceOptions().setNamespace(namespace).setName(name).setHost("127.0.0.1").setEvents(events());
  }

  /** Deploys one instance; completes with its deployment id. */
  private String deploy(String name, Recorder recorder, String topic, boolean ordered) {
    return join(vertx.deployVerticle(new ServiceHost(options(name), () -> {
      EventfulService service = new EventfulService(recorder, topic, ordered);
      instances.add(service);
      return service;
    })));
  }

  /** Publishes as a service outside any handler ({@code calls()}), from a host of its own. */
  private ServiceCalls publisher() {
    deploy("chat", new Recorder(), null, false);
    return instances.get(instances.size() - 1).calls();
  }

  private static Code codeOf(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    assertThat(cause).isInstanceOf(MeshException.class);
    return ((MeshException) cause).code();
  }

  @Test
  void everySubscribingServiceGetsEachEventOnceAndTheInstancesOfAServiceShareThem() {
    Recorder leaderboard = new Recorder();
    Recorder experience = new Recorder();
    deploy("leaderboard", leaderboard, topic, false);
    deploy("leaderboard", leaderboard, topic, false);
    deploy("experience", experience, topic, false);
    ServiceCalls chat = publisher();

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      ids.add(join(chat.publish(topic, new Gift("ann", "bob", i), PublishOptions.DEFAULT.withTrace("t-" + i))));
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> leaderboard.events.size() >= 60 && experience.events.size() >= 60);
    await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5))
        .until(() -> leaderboard.events.size() == 60 && experience.events.size() == 60);
    assertThat(leaderboard.events.stream().map(Handled::eventId)).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(experience.events.stream().map(Handled::eventId)).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(leaderboard.events.stream().map(Handled::instance).distinct()).as("both instances took a share").hasSize(2);
    Handled first = experience.events.stream().filter(h -> h.gift().seq() == 0).findFirst().orElseThrow();
    assertThat(first.trace()).isEqualTo("t-0");
    assertThat(first.attempt()).isEqualTo(1);
    assertThat(first.topic()).isEqualTo(topic);
    assertThat(first.publisher()).startsWith(namespace + "/chat@127.0.0.1:");
  }

  @Test
  void aServiceThatWasDownWhileEventsWerePublishedGetsThemWhenItComesBack() {
    Recorder leaderboard = new Recorder();
    String deployment = deploy("leaderboard", leaderboard, topic, false);
    ServiceCalls chat = publisher();
    join(chat.publish(topic, new Gift("ann", "bob", 0)));
    await().atMost(Duration.ofSeconds(10)).until(() -> leaderboard.events.size() == 1);

    join(vertx.undeploy(deployment));
    for (int i = 1; i <= 20; i++) {
      join(chat.publish(topic, new Gift("ann", "bob", i)));
    }
    deploy("leaderboard", leaderboard, topic, false);

    await().atMost(Duration.ofSeconds(10)).until(() -> leaderboard.events.size() >= 21);
    assertThat(leaderboard.events.stream().map(h -> h.gift().seq()))
        .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(0, 20).boxed().toList());
  }

  @Test
  void anEventFailingMaxAttemptsTimesGoesToTheDeadLettersAndIsHandledOnceReplayed() {
    Recorder experience = new Recorder();
    experience.onEvent = (s, h) -> h.gift().seq() == 13
        ? Future.failedFuture(new IllegalStateException("unlucky gift"))
        : Future.succeededFuture();
    deploy("experience", experience, topic, false);
    ServiceCalls chat = publisher();
    String id = join(chat.publish(topic, new Gift("ann", "bob", 13)));
    String group = namespace + "/experience";

    EventAdmin admin = EventAdmin.over(store);
    await().atMost(Duration.ofSeconds(10)).until(() -> join(admin.deadLetters(topic, group, 10)).size() == 1);
    EventAdmin.DeadLetter dead = join(admin.deadLetters(topic, group, 10)).get(0);
    assertThat(dead.origin()).isEqualTo(id);
    assertThat(dead.reason()).isEqualTo("unlucky gift");
    assertThat(dead.attempts()).isEqualTo(3);
    assertThat(experience.events).extracting(Handled::attempt).containsExactly(1, 2, 3);

    experience.onEvent = (s, h) -> Future.succeededFuture();
    assertThat(join(admin.replayDeadLetters(topic, group, 10))).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> experience.events.size() == 4);
    assertThat(join(admin.deadLetters(topic, group, 10))).isEmpty();
    EventAdmin.StreamStats stats = join(admin.stats(topic));
    assertThat(stats.groups()).singleElement().satisfies(g -> {
      assertThat(g.group()).isEqualTo(group);
      assertThat(g.deadLetters()).isZero();
    });
  }

  @Test
  void anOrderedSubscriptionHandlesEachKeyInOrderOverTwoInstances() {
    Recorder leaderboard = new Recorder();
    leaderboard.onEvent = (s, h) -> {
      Promise<Void> done = Promise.promise();
      vertx.setTimer(1 + ThreadLocalRandom.current().nextInt(3), t -> done.complete());
      return done.future();
    };
    deploy("leaderboard", leaderboard, topic, true);
    deploy("leaderboard", leaderboard, topic, true);
    ServiceCalls chat = publisher();
    List<String> users = List.of("u1", "u2", "u3", "u4", "u5", "u6");
    for (int seq = 0; seq < 30; seq++) {
      for (String user : users) {
        join(chat.publish(topic, new Gift("ann", user, seq)));
      }
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> leaderboard.events.size() >= 180);
    for (String user : users) {
      assertThat(leaderboard.events.stream().filter(h -> h.gift().to().equals(user)).map(h -> h.gift().seq()).toList())
          .as("the gifts to " + user).containsExactlyElementsOf(IntStream.range(0, 30).boxed().toList());
    }
  }

  @Test
  void aPersistentCallIsStoredRunOnceAndStoredOnceForOneMessageId() {
    Recorder experience = new Recorder();
    ServiceCalls chat = publisher();
    // Stored while nobody serves experience: it runs when an instance starts.
    String id = join(chat.callPersistent(namespace, "experience", "Grant", new Grant("ann", 10),
        PersistentCallOptions.messageId("welcome-ann").withTrace("trace-7")));
    assertThat(id).isEqualTo("welcome-ann");
    assertThat(join(chat.callPersistent(namespace, "experience", "Grant", new Grant("ann", 10),
        PersistentCallOptions.messageId("welcome-ann")))).as("the same id again").isEqualTo("welcome-ann");
    String stream = EventKeys.calls(namespace, "experience");
    assertThat(join(store.length(stream))).as("stored once").isEqualTo(1);

    deploy("experience", experience, null, false);
    await().atMost(Duration.ofSeconds(10)).until(() -> experience.grants.size() == 1);
    EventfulService.Granted granted = experience.grants.peek();
    assertThat(granted.grant()).isEqualTo(new Grant("ann", 10));
    assertThat(granted.trace()).isEqualTo("trace-7");
    assertThat(granted.client()).startsWith(namespace + "/chat@");
    await().atMost(Duration.ofSeconds(5)).until(() -> join(store.length(stream)) == 0);

    assertThat(join(chat.callPersistent(namespace, "experience", "Grant", new Grant("ann", 10),
        PersistentCallOptions.messageId("welcome-ann")))).as("remembered after it ran").isEqualTo("welcome-ann");
    String other = join(chat.callPersistent("experience", "Grant", new Grant("bob", 5)));
    await().atMost(Duration.ofSeconds(10)).until(() -> experience.grants.size() == 2);
    await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5)).until(() -> experience.grants.size() == 2);
    assertThat(other).isNotEqualTo("welcome-ann");
    assertThat(experience.grants).extracting(g -> g.grant().user()).containsExactly("ann", "bob");
  }

  @Test
  void aPersistentCallWhoseRunWasRecordedIsNotRunAgainWhenDeliveredAgain() {
    Recorder experience = new Recorder();
    deploy("experience", experience, null, false);
    String stream = EventKeys.calls(namespace, "experience");
    // As if an instance ran the call, recorded it, and died before acknowledging it: the entry is
    // delivered again, with its marker saying done.
    join(store.send(Request.cmd(Command.SET).arg(EventKeys.callMarker(stream, "ran-once")).arg("done").arg("EX").arg(60)));
    join(store.send(Request.cmd(Command.XADD).arg(stream).arg("*")
        .arg(StreamEntry.CALL).arg(ArgsCodec.encodeInnerRpc("Grant", new Grant("ann", 1)))
        .arg(StreamEntry.MESSAGE_ID).arg("ran-once")));
    join(store.send(Request.cmd(Command.XADD).arg(stream).arg("*")
        .arg(StreamEntry.CALL).arg(ArgsCodec.encodeInnerRpc("Grant", new Grant("bob", 2)))
        .arg(StreamEntry.MESSAGE_ID).arg("fresh")));

    await().atMost(Duration.ofSeconds(10)).until(() -> experience.grants.size() == 1 && join(store.length(stream)) == 0);
    assertThat(experience.grants).extracting(g -> g.grant().user()).containsExactly("bob");
  }

  @Test
  void aPersistentCallOfAnUnknownMethodGoesToTheDeadLettersAtOnce() {
    deploy("experience", new Recorder(), null, false);
    ServiceCalls chat = publisher();
    join(chat.callPersistent("experience", "NoSuchMethod", Map.of()));
    String stream = EventKeys.calls(namespace, "experience");
    String group = namespace + "/experience";
    EventAdmin admin = EventAdmin.over(store);
    await().atMost(Duration.ofSeconds(10)).until(() -> join(admin.deadLettersOf(stream, group, 10)).size() == 1);
    EventAdmin.DeadLetter dead = join(admin.deadLettersOf(stream, group, 10)).get(0);
    assertThat(dead.reason()).isEqualTo("unknown method NoSuchMethod");
    assertThat(dead.attempts()).isEqualTo(1);
  }

  @Test
  void withoutRedisPublishingFailsWith14AndASubscribingServiceDoesNotStart() {
    ServiceOptions noRedis = new ServiceOptions().setNamespace(namespace).setName("chat").setHost("127.0.0.1");
    join(vertx.deployVerticle(new ServiceHost(noRedis, () -> {
      EventfulService service = new EventfulService(new Recorder(), null, false);
      instances.add(service);
      return service;
    })));
    ServiceCalls chat = instances.get(instances.size() - 1).calls();
    assertThatThrownBy(() -> join(chat.publish(topic, new Gift("a", "b", 1))))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Code.UNAVAILABLE))
        .hasMessageContaining("events need Redis: set events.redis");
    assertThatThrownBy(() -> join(chat.callPersistent("experience", "Grant", new Grant("a", 1))))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Code.UNAVAILABLE));

    ServiceOptions subscriber = new ServiceOptions().setNamespace(namespace).setName("leaderboard").setHost("127.0.0.1");
    assertThatThrownBy(() -> join(vertx.deployVerticle(new ServiceHost(subscriber,
        () -> new EventfulService(new Recorder(), topic, false)))))
        .hasMessageContaining(namespace + "/leaderboard subscribes to " + topic)
        .hasMessageContaining("events need Redis: set events.redis");
  }

  @Test
  void aSubscriberWhoseRedisCannotBeReachedFailsToStartNamingIt() {
    ServiceOptions unreachable = options("leaderboard")
        .setEvents(new EventsOptions().setRedis("redis://127.0.0.1:1").setTimeoutMs(300));
    assertThatThrownBy(() -> join(vertx.deployVerticle(new ServiceHost(unreachable,
        () -> new EventfulService(new Recorder(), topic, false)))))
        .hasMessageContaining(namespace + "/leaderboard cannot subscribe to " + topic + " on redis://127.0.0.1:1");
  }

  @Test
  void badTopicsAndEventsFailWith3() {
    ServiceCalls chat = publisher();
    assertThatThrownBy(() -> join(chat.publish("no spaces", new Gift("a", "b", 1))))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Code.INVALID_ARGUMENT));
    assertThatThrownBy(() -> join(chat.publish(topic, new Object() {
      public Object getSelf() {
        return this;
      }
    }))).satisfies(t -> assertThat(codeOf(t)).isEqualTo(Code.INVALID_ARGUMENT));
  }
}
