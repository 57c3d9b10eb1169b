package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The {@code logging} and {@code tracing} sections of a mesh config. */
class LoggingTracingConfigTest {

  private static JsonObject withSection(String key, Object value) {
    return new JsonObject().put("gates", new JsonArray().add(new JsonObject())).put(key, value);
  }

  @Test
  void withoutTheSectionsTheProcessLogsTextAtInfoAndRecordsNoSpans() {
    MeshConfig config = new MeshConfig(new JsonObject().put("gates", new JsonArray().add(new JsonObject())));
    assertThat(config.logging().isJson()).isFalse();
    assertThat(config.logging().getLevel()).isEqualTo("info");
    assertThat(config.logging().getRoles()).isEmpty();
    assertThat(config.tracing()).isNull();
  }

  @Test
  void loggingRoundTripsThroughJson() {
    JsonObject json = new JsonObject().put("json", true).put("level", "WARN")
        .put("roles", new JsonObject().put("gate", "debug").put("service", "info").put("push", "error").put("events", "off"));
    LoggingOptions options = new MeshConfig(withSection("logging", json)).logging();
    assertThat(options.isJson()).isTrue();
    assertThat(options.getLevel()).isEqualTo("warn");
    assertThat(options.getRoles()).containsEntry("gate", "debug").containsEntry("events", "off").hasSize(4);
    assertThat(new LoggingOptions(options.toJson()).toJson()).isEqualTo(options.toJson());
    assertThat(options.toJson().getString("level")).isEqualTo("warn");
    assertThat(new LoggingOptions().toJson()).isEqualTo(new JsonObject().put("json", false).put("level", "info"));
  }

  @Test
  void badLoggingIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> new MeshConfig(withSection("logging", new JsonObject().put("jsn", true))))
        .hasMessageContaining("logging.jsn");
    assertThatThrownBy(() -> new MeshConfig(withSection("logging", new JsonObject().put("level", "verbose"))))
        .hasMessageContaining("logging.level").hasMessageContaining("verbose");
    assertThatThrownBy(() -> new MeshConfig(withSection("logging", new JsonObject().put("json", "yes"))))
        .hasMessageContaining("logging.json");
    assertThatThrownBy(() -> new MeshConfig(withSection("logging",
        new JsonObject().put("roles", new JsonObject().put("gates", "debug")))))
        .hasMessageContaining("logging.roles.gates");
    assertThatThrownBy(() -> new MeshConfig(withSection("logging",
        new JsonObject().put("roles", new JsonObject().put("gate", 3)))))
        .hasMessageContaining("logging.roles.gate");
    assertThatThrownBy(() -> new MeshConfig(withSection("logging", "debug"))).hasMessageContaining("logging");
  }

  @Test
  void tracingRoundTripsThroughJson() {
    JsonObject json = new JsonObject().put("endpoint", "https://otel.example:4318/v1/traces")
        .put("headers", new JsonObject().put("x-token", "t")).put("sampleRatio", 0.25).put("scheduleDelayMs", 200)
        .put("timeoutMs", 3000).put("maxQueueSize", 100);
    TracingOptions options = new MeshConfig(withSection("tracing", json)).tracing();
    assertThat(options.getEndpoint()).isEqualTo("https://otel.example:4318/v1/traces");
    assertThat(options.getHeaders()).containsExactlyEntriesOf(java.util.Map.of("x-token", "t"));
    assertThat(options.getSampleRatio()).isEqualTo(0.25);
    assertThat(options.getScheduleDelayMs()).isEqualTo(200);
    assertThat(options.getTimeoutMs()).isEqualTo(3000);
    assertThat(options.getMaxQueueSize()).isEqualTo(100);
    assertThat(options.toJson()).isEqualTo(json);
    JsonObject defaults = new TracingOptions(new JsonObject().put("endpoint", "http://c:4318/v1/traces")).toJson();
    assertThat(defaults).isEqualTo(new JsonObject().put("endpoint", "http://c:4318/v1/traces").put("sampleRatio", 1.0)
        .put("scheduleDelayMs", 1000L).put("timeoutMs", 10000L).put("maxQueueSize", 2048));
  }

  @Test
  void badTracingIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> new MeshConfig(withSection("tracing", new JsonObject())))
        .hasMessageContaining("tracing.endpoint");
    assertThatThrownBy(() -> new MeshConfig(withSection("tracing", new JsonObject().put("endpoint", "c:4318"))))
        .hasMessageContaining("tracing.endpoint");
    JsonObject ok = new JsonObject().put("endpoint", "http://c:4318/v1/traces");
    assertThatThrownBy(() -> new MeshConfig(withSection("tracing", ok.copy().put("url", "x"))))
        .hasMessageContaining("tracing.url");
    assertThatThrownBy(() -> new MeshConfig(withSection("tracing", ok.copy().put("sampleRatio", 1.5))))
        .hasMessageContaining("tracing.sampleRatio");
    assertThatThrownBy(() -> new MeshConfig(withSection("tracing", ok.copy().put("scheduleDelayMs", 0))))
        .hasMessageContaining("tracing.scheduleDelayMs");
    assertThatThrownBy(() -> new MeshConfig(withSection("tracing", ok.copy().put("headers",
        new JsonObject().put("x", 1))))).hasMessageContaining("tracing.headers.x");
  }
}
