package io.weft.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.events.EventKeys;
import io.weft.core.events.EventStore;
import io.weft.core.events.EventsOptions;
import io.weft.core.test.TestServers;
import io.weft.examples.chat.GiftSent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An event whose handler was running in a process killed with SIGKILL is handled by the next
 * instance of the service, once its visibility timeout has passed: {@code demo/experience} in
 * separate JVMs ({@code weft run}), a Redis of the tests.
 */
class EventsCrashIT {

  private static final long VISIBILITY_MS = 500;

  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final String namespace = "crash-" + suffix;
  private final String topic = "gift.sent.crash-" + suffix;
  private final List<WeftProcess> processes = new ArrayList<>();
  private Path dir;
  private Vertx vertx;
  private EventStore store;

  @BeforeEach
  void setUp() throws Exception {
    dir = Files.createTempDirectory("weft-events-crash");
    vertx = Vertx.vertx();
    store = EventStore.create(vertx, new EventsOptions().setRedis(TestServers.redis()));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (WeftProcess p : processes) {
      p.close();
    }
    String stream = EventKeys.topic(topic);
    store.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.DEL).arg(stream)
        .arg(EventKeys.lease(stream, namespace + "/experience"))
        .arg(EventKeys.calls(namespace, "experience"))).await(10, TimeUnit.SECONDS);
    store.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private WeftProcess experience(String name, long handleDelayMs) throws Exception {
    WeftProcess p = WeftProcess.start(name, dir, new JsonObject()
        .put("registry", new JsonObject().put("type", "local"))
        .put("events", new JsonObject().put("redis", TestServers.redis()).put("visibilityTimeoutMs", VISIBILITY_MS)
            .put("retryDelayMs", 100).put("blockMs", 200))
        .put("services", new JsonArray().add(new JsonObject()
            .put("class", "io.weft.examples.experience.ExperienceService").put("namespace", namespace)
            .put("name", "experience").put("host", "127.0.0.1")
            .put("config", new JsonObject().put("topic", topic).put("handleDelayMs", handleDelayMs)))));
    processes.add(p);
    return p.awaitStarted();
  }

  @Test
  void anEventWhoseHandlerWasKilledMidwayIsHandledByTheNextInstance() throws Exception {
    WeftProcess first = experience("experience-1", 60_000);
    String id = store.publish(topic, ArgsCodec.encode(new GiftSent("ann", "bob", "rocket", 500, "lobby")),
        "test", null, null).await(10, TimeUnit.SECONDS);
    await("the first instance handling " + id).atMost(Duration.ofSeconds(10))
        .until(() -> first.log().contains("Handling " + topic + " " + id + " (attempt 1)"));

    first.crash();
    WeftProcess second = experience("experience-2", 0);
    await("the second instance handling " + id).atMost(Duration.ofSeconds(15))
        .until(() -> second.log().contains("Handled " + topic + " " + id + " (attempt 2): ann +500 xp"));
    assertThat(first.log()).doesNotContain("Handled " + topic + " " + id);
    String stream = EventKeys.topic(topic);
    await().atMost(Duration.ofSeconds(5)).until(() -> store.groups(stream).await(5, TimeUnit.SECONDS).stream()
        .allMatch(g -> g.pending() == 0));
  }
}
