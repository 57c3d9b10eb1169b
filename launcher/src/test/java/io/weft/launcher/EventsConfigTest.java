package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.core.events.EventsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The {@code events} of mesh configs: conf/events.json, inheritance, WEFT_REDIS, mistakes. */
class EventsConfigTest {

  static JsonObject eventsJson() throws Exception {
    return new JsonObject(Files.readString(Path.of("..", "conf", "events.json")));
  }

  @Test
  void theEventsConfigRunsChatLeaderboardAndExperienceOnOneRedis() throws Exception {
    MeshConfig config = new MeshConfig(eventsJson());
    assertThat(config.gates()).hasSize(1);
    assertThat(config.services()).extracting(s -> s.options().getName())
        .containsExactly("chat", "leaderboard", "experience");
    assertThat(config.services()).allSatisfy(s -> {
      assertThat(s.options().getNamespace()).isEqualTo("demo");
      assertThat(s.options().getEvents().getRedis()).isEqualTo("redis://127.0.0.1:6379");
    });
  }

  @Test
  void theLocalConfigHasNoRedisForEvents() throws Exception {
    MeshConfig config = new MeshConfig(MeshConfigTest.localJson());
    assertThat(config.services()).allSatisfy(s -> assertThat(s.options().getEvents().getRedis()).isNull());
  }

  @Test
  void servicesTakeTheTopLevelEventsTheirOwnKeysWinning() {
    JsonObject json = new JsonObject()
        .put("events", new JsonObject().put("redis", "redis://r:6379").put("maxAttempts", 7))
        .put("services", new JsonArray()
            .add(service("a"))
            .add(service("b").put("events", new JsonObject().put("maxAttempts", 2)))
            .add(service("c").put("events", new JsonObject().put("redis", "redis://other:6379"))));
    MeshConfig config = new MeshConfig(json);
    EventsOptions a = config.services().get(0).options().getEvents();
    EventsOptions b = config.services().get(1).options().getEvents();
    EventsOptions c = config.services().get(2).options().getEvents();
    assertThat(a.getRedis()).isEqualTo("redis://r:6379");
    assertThat(a.getMaxAttempts()).isEqualTo(7);
    assertThat(b.getRedis()).isEqualTo("redis://r:6379");
    assertThat(b.getMaxAttempts()).isEqualTo(2);
    assertThat(c.getRedis()).isEqualTo("redis://other:6379");
  }

  @Test
  void weftRedisSetsTheEventsOfEveryService() throws Exception {
    JsonObject merged = MeshConfigTest.localJson().put("WEFT_REDIS", "redis://10.0.0.9:6379");
    MeshConfig config = new MeshConfig(EnvOverrides.apply(merged));
    assertThat(config.services()).isNotEmpty().allSatisfy(s ->
        assertThat(s.options().getEvents().getRedis()).isEqualTo("redis://10.0.0.9:6379"));
    MeshConfig events = new MeshConfig(EnvOverrides.apply(eventsJson().put("WEFT_REDIS", "redis://10.0.0.9:6379")));
    assertThat(events.services()).allSatisfy(s ->
        assertThat(s.options().getEvents().getRedis()).isEqualTo("redis://10.0.0.9:6379"));
  }

  @Test
  void mistakesInEventsAreNamed() {
    assertThatThrownBy(() -> new MeshConfig(new JsonObject().put("events", new JsonObject().put("maxLen", 0))
        .put("services", new JsonArray().add(service("a")))))
        .hasMessageStartingWith("events: events.maxLen must be >= 1");
    assertThatThrownBy(() -> new MeshConfig(new JsonObject().put("services", new JsonArray().add(
        service("a").put("events", new JsonObject().put("visibility", 5))))))
        .hasMessageContaining("services[0]").hasMessageContaining("unknown key events.visibility");
    assertThatThrownBy(() -> new MeshConfig(new JsonObject().put("events", new JsonObject().put("redis", "redis://r:6379"))
        .put("services", new JsonArray().add(service("a").put("events", "redis://x")))))
        .hasMessageContaining("services[0].events must be an object");
  }

  private static JsonObject service(String name) {
    return new JsonObject().put("class", "X").put("namespace", "demo").put("name", name);
  }
}
