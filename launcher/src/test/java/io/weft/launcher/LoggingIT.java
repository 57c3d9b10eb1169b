package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.weft.core.client.CallOptions;
import io.weft.core.client.MeshClient;
import io.weft.core.client.MeshClientOptions;
import io.weft.core.codec.RawValue;
import io.weft.launcher.impl.LogSetup;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** The logging section: JSON lines or text lines carrying a call's trace id, and levels per role. */
@ExtendWith(VertxExtension.class)
class LoggingIT {

  private static final String TRACE = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @AfterEach
  void backToTheDefault() {
    LogSetup.apply(new LoggingOptions());
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Starts the traced service behind a gate and makes one call with {@link #TRACE}. */
  private static void oneCall(Vertx vertx) throws Exception {
    int port = freePort();
    JsonObject conf = new JsonObject()
        .put("registry", new JsonObject().put("type", "local"))
        .put("gates", new JsonArray().add(new JsonObject().put("mode", "internal").put("host", "127.0.0.1")
            .put("port", port)))
        .put("services", new JsonArray().add(new JsonObject().put("class", TracedService.class.getName())
            .put("namespace", "t").put("name", "traced").put("host", "127.0.0.1")));
    vertx.deployVerticle(MeshVerticle.class.getName(), new DeploymentOptions().setConfig(conf)).await(20, TimeUnit.SECONDS);
    MeshClient client = MeshClient.connect(vertx, new MeshClientOptions().setPort(port)).await(10, TimeUnit.SECONDS);
    client.call("t", "traced", "Trace", RawValue.of(new byte[] {(byte) 0x80}), TracedService.Seen.class,
        CallOptions.DEFAULT.withTrace(TRACE)).await(10, TimeUnit.SECONDS);
  }

  private List<String> lines() {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8).lines().toList();
    }
  }

  @Test
  void jsonLogsAreOneObjectPerLineAndLinesAboutACallCarryItsTraceId(Vertx vertx) throws Exception {
    LogSetup.apply(new LoggingOptions().setJson(true).setRole("gate", "debug").setRole("service", "warn"), out);
    oneCall(vertx);

    await().atMost(Duration.ofSeconds(5)).until(() -> lines().stream().anyMatch(l -> l.contains("route")
        || l.contains("answered 0")));
    List<JsonObject> events = lines().stream().map(JsonObject::new).toList();
    assertThat(events).allSatisfy(e -> assertThat(e.getString("message")).isNotNull());
    assertThat(events).as("the gate's debug line about the call")
        .anyMatch(e -> e.getString("logger_name").equals("io.weft.gate.impl.Router")
            && e.getString("level").equals("DEBUG") && e.getString("message").contains("t/traced.Trace answered 0")
            && TRACE_ID.equals(e.getString("trace_id")));
    assertThat(events).as("the handler's own line, inside the call")
        .anyMatch(e -> e.getString("logger_name").equals(TracedService.class.getName())
            && e.getString("message").equals("handling Trace") && TRACE_ID.equals(e.getString("trace_id")));
    assertThat(events).as("the service role logs at warn")
        .noneMatch(e -> e.getString("logger_name").startsWith("io.weft.service.") && e.getString("level").equals("DEBUG"));
  }

  @Test
  void textLogsShowTheTraceIdAtTheEndOfTheLine(Vertx vertx) throws Exception {
    LogSetup.apply(new LoggingOptions().setRole("gate", "debug"), out);
    oneCall(vertx);

    await().atMost(Duration.ofSeconds(5)).until(() -> lines().stream().anyMatch(l -> l.contains("answered 0")));
    assertThat(lines()).anyMatch(l -> l.contains("DEBUG [io.weft.gate.impl.Router] t/traced.Trace answered 0")
        && l.endsWith(" trace_id=" + TRACE_ID));
    assertThat(lines()).anyMatch(l -> l.contains("handling Trace trace_id=" + TRACE_ID));
    LoggerFactory.getLogger(LoggingIT.class).info("about no call");
    assertThat(lines()).as("no stray trace_id on lines about no call").anyMatch(l -> l.endsWith("] about no call"));
  }

  @Test
  void eachRoleHasItsOwnLevelAndJavaUtilLoggingFollowsThem() {
    LogSetup.bridgeJul();
    LogSetup.apply(new LoggingOptions().setJson(true).setLevel("warn").setRole("gate", "debug")
        .setRole("service", "error").setRole("push", "info").setRole("events", "off"), out);

    assertThat(LoggerFactory.getLogger("io.weft.gate.impl.Router").isDebugEnabled()).isTrue();
    assertThat(LoggerFactory.getLogger("io.weft.service.ServiceHost").isWarnEnabled()).isFalse();
    assertThat(LoggerFactory.getLogger("io.weft.service.ServiceHost").isErrorEnabled()).isTrue();
    assertThat(LoggerFactory.getLogger("io.weft.push.PushService").isInfoEnabled()).isTrue();
    assertThat(LoggerFactory.getLogger("io.weft.push.PushService").isDebugEnabled()).isFalse();
    assertThat(LoggerFactory.getLogger("io.weft.core.events.StreamConsumer").isErrorEnabled()).isFalse();
    assertThat(LoggerFactory.getLogger("io.weft.core.conn.MeshConnection").isInfoEnabled()).as("the root level").isFalse();
    assertThat(LoggerFactory.getLogger("io.weft.core.conn.MeshConnection").isWarnEnabled()).isTrue();

    java.util.logging.Logger jul = java.util.logging.Logger.getLogger("io.weft.gate.Jul");
    assertThat(jul.isLoggable(java.util.logging.Level.FINE)).isTrue();
    assertThat(java.util.logging.Logger.getLogger("io.weft.service.Jul").isLoggable(java.util.logging.Level.WARNING))
        .isFalse();
    jul.fine("through java.util.logging");
    assertThat(lines()).map(JsonObject::new)
        .anyMatch(e -> e.getString("message").equals("through java.util.logging")
            && e.getString("logger_name").equals("io.weft.gate.Jul") && e.getString("level").equals("DEBUG"));
  }
}
