package io.weft.core.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.weft.core.events.EventsOptions.StartFrom;
import org.junit.jupiter.api.Test;

class EventsOptionsTest {

  @Test
  void theDefaultsNameNoRedisAndAreSane() {
    EventsOptions o = new EventsOptions();
    assertThat(o.getRedis()).isNull();
    assertThat(o.getMaxLen()).isEqualTo(100_000);
    assertThat(o.getVisibilityTimeoutMs()).isEqualTo(30_000);
    assertThat(o.getMaxAttempts()).isEqualTo(5);
    assertThat(o.getStartFrom()).isEqualTo(StartFrom.LATEST);
    assertThat(o.isPersistentCalls()).isTrue();
    assertThat(o.toJson().containsKey("redis")).isFalse();
    assertThat(new EventsOptions(new JsonObject()).toJson()).isEqualTo(o.toJson());
  }

  @Test
  void jsonRoundTripKeepsEveryValue() {
    EventsOptions o = new EventsOptions().setRedis("redis://10.0.0.5:6380/2").setMaxLen(500).setDeadLetterMaxLen(50)
        .setVisibilityTimeoutMs(400).setMaxAttempts(2).setRetryDelayMs(20).setBlockMs(100).setBatchSize(8)
        .setMaxInFlight(16).setStartFrom(StartFrom.EARLIEST).setPersistentCalls(false).setCallDedupeTtlSec(60)
        .setTimeoutMs(300).setMaxPoolSize(3).setMaxPoolWaiting(10);
    JsonObject json = o.toJson();
    assertThat(new EventsOptions(json).toJson()).isEqualTo(json);
    assertThat(new EventsOptions(o).toJson()).isEqualTo(json);
    assertThat(json.getString("startFrom")).isEqualTo("earliest");
    assertThat(new EventsOptions(new JsonObject().put("startFrom", "$")).getStartFrom()).isEqualTo(StartFrom.LATEST);
    assertThat(StartFrom.LATEST.streamId()).isEqualTo("$");
    assertThat(StartFrom.EARLIEST.streamId()).isEqualTo("0");
  }

  @Test
  void badValuesAndUnknownKeysAreRefusedByName() {
    assertThatThrownBy(() -> new EventsOptions(new JsonObject().put("maxlen", 5)))
        .hasMessageStartingWith("unknown key events.maxlen; known keys: [");
    assertThatThrownBy(() -> new EventsOptions().setMaxLen(0)).hasMessage("events.maxLen must be >= 1, but was 0");
    assertThatThrownBy(() -> new EventsOptions().setVisibilityTimeoutMs(10))
        .hasMessage("events.visibilityTimeoutMs must be >= 50, but was 10");
    assertThatThrownBy(() -> new EventsOptions().setMaxAttempts(0)).hasMessageContaining("events.maxAttempts");
    assertThatThrownBy(() -> new EventsOptions(new JsonObject().put("startFrom", "middle")))
        .hasMessage("events.startFrom must be 'latest' or 'earliest', but was 'middle'");
    assertThatThrownBy(() -> new EventsOptions().setRedis("tcp://weft:s3cret@host:6379"))
        .hasMessageContaining("events.redis").hasMessageContaining("tcp://***@host:6379")
        .message().doesNotContain("s3cret");
    assertThat(new EventsOptions().setRedis(" ").getRedis()).as("blank is none").isNull();
  }

  @Test
  void keysFollowTheProtocol() {
    assertThat(EventKeys.topic("gift.sent")).isEqualTo("weft:events:gift.sent");
    assertThat(EventKeys.deadLetters(EventKeys.topic("gift.sent"), "demo/leaderboard"))
        .isEqualTo("weft:events:gift.sent:dead:demo/leaderboard");
    assertThat(EventKeys.lease(EventKeys.topic("gift.sent"), "demo/leaderboard"))
        .isEqualTo("weft:events:gift.sent:lease:demo/leaderboard");
    assertThat(EventKeys.calls("demo", "experience")).isEqualTo("weft:calls:demo/experience");
    assertThat(EventKeys.callMarker(EventKeys.calls("demo", "experience"), "m1"))
        .isEqualTo("weft:calls:demo/experience:msg:m1");
    assertThat(EventKeys.checkGroup("demo/leaderboard")).isEqualTo("demo/leaderboard");
    assertThatThrownBy(() -> EventKeys.topic("gift sent")).hasMessageContaining("'gift sent'");
    assertThatThrownBy(() -> EventKeys.topic("a:b")).hasMessageContaining("a topic is");
    assertThatThrownBy(() -> EventKeys.topic("")).hasMessageContaining("a topic is");
    assertThatThrownBy(() -> EventKeys.checkGroup("leaderboard")).hasMessageContaining("<namespace>/<service>");
    assertThatThrownBy(() -> EventKeys.checkGroup("a/b/c")).hasMessageContaining("<namespace>/<service>");
  }

  @Test
  void consumerSettingsTakeTheOptionsAndCheckWhatTheyOverride() {
    ConsumerSettings s = ConsumerSettings.of(new EventsOptions().setMaxAttempts(7).setMaxInFlight(9));
    assertThat(s.ordered()).isFalse();
    assertThat(s.maxAttempts()).isEqualTo(7);
    assertThat(s.maxInFlight()).isEqualTo(9);
    ConsumerSettings ordered = s.withOrdered(4).withVisibilityTimeoutMs(300).withDeleteHandled(true);
    assertThat(ordered.ordered()).isTrue();
    assertThat(ordered.lanes()).isEqualTo(4);
    assertThat(ordered.visibilityTimeoutMs()).isEqualTo(300);
    assertThat(ordered.deleteHandled()).isTrue();
    assertThatThrownBy(() -> s.withMaxInFlight(5000)).hasMessageContaining("maxInFlight must be 1..4096");
    assertThatThrownBy(() -> s.withOrdered(0)).hasMessageContaining("lanes");
  }
}
