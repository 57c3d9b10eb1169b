package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.weft.core.events.EventKeys;
import io.weft.core.events.EventStore;
import io.weft.core.events.EventsOptions;
import io.weft.core.test.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * The events tour of the README on conf/events.json in this JVM, on the test Redis (in a
 * namespace of its own): a gift reaches the leaderboard and the experience services, a welcome is
 * a persistent call run once, and {@code weft events stats} shows both groups.
 */
@ExtendWith(VertxExtension.class)
class EventsTourIT {

  private final String ns = "tour-" + UUID.randomUUID().toString().substring(0, 8);
  private int port;
  private Vertx vertx;

  @AfterEach
  void cleanUp() throws Exception {
    EventStore store = EventStore.create(vertx, new EventsOptions().setRedis(TestServers.redis()));
    try {
      String stream = EventKeys.topic("gift.sent");
      for (String service : new String[] {"leaderboard", "experience"}) {
        store.send(Request.cmd(Command.XGROUP).arg("DESTROY").arg(stream).arg(ns + "/" + service))
            .await(10, TimeUnit.SECONDS);
      }
      for (String service : new String[] {"chat", "leaderboard", "experience"}) {
        store.send(Request.cmd(Command.DEL).arg(EventKeys.calls(ns, service))).await(10, TimeUnit.SECONDS);
      }
    } finally {
      store.close().await(10, TimeUnit.SECONDS);
    }
  }

  private void startTour(Vertx vertx) throws Exception {
    this.vertx = vertx;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    JsonObject conf = EventsConfigTest.eventsJson();
    conf.getJsonObject("events").put("redis", TestServers.redis());
    conf.getJsonArray("gates").getJsonObject(0).put("port", port);
    JsonArray services = conf.getJsonArray("services");
    for (int i = 0; i < services.size(); i++) {
      services.getJsonObject(i).put("namespace", ns);
    }
    vertx.deployVerticle(MeshVerticle.class.getName(), new DeploymentOptions().setConfig(conf)).await(20, TimeUnit.SECONDS);
  }

  private String call(String target, String args) {
    String[] result = run("call", "--gate", "127.0.0.1:" + port, "--namespace", ns, target, args);
    assertThat(result[0]).as(result[2]).isEqualTo("0");
    return result[1].trim();
  }

  private static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = new CommandLine(new Weft()).execute(args);
      return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
  }

  @Test
  void aGiftReachesTheLeaderboardAndTheExperienceAndAWelcomeIsGrantedOnce(Vertx vertx) throws Exception {
    startTour(vertx);
    String receipt = call("chat.SendGift", "{\"From\":\"ann\",\"To\":\"bob\",\"Gift\":\"rocket\",\"Value\":500}");
    assertThat(new JsonObject(receipt).getString("EventId")).matches("\\d+-\\d+");

    await().atMost(Duration.ofSeconds(10)).until(() -> new JsonObject(call("leaderboard.Top", "{\"N\":3}"))
        .equals(new JsonObject("{\"Entries\":[{\"User\":\"bob\",\"Score\":500}]}")));
    await().atMost(Duration.ofSeconds(10)).until(() -> new JsonObject(call("experience.Xp", "{\"User\":\"ann\"}"))
        .getLong("Xp") == 500);

    assertThat(new JsonObject(call("chat.Welcome", "{\"User\":\"dan\"}")).getString("MessageId")).isEqualTo("welcome-dan");
    assertThat(new JsonObject(call("chat.Welcome", "{\"User\":\"dan\"}")).getString("MessageId")).isEqualTo("welcome-dan");
    await().atMost(Duration.ofSeconds(10)).until(() -> new JsonObject(call("experience.Xp", "{\"User\":\"dan\"}"))
        .getLong("Xp") == 10);
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
        .until(() -> new JsonObject(call("experience.Xp", "{\"User\":\"dan\"}")).getLong("Xp") == 10);

    String[] stats = run("events", "stats", "gift.sent", "--redis=" + TestServers.redis());
    assertThat(stats[0]).as(stats[2]).isEqualTo("0");
    assertThat(stats[1]).contains(ns + "/leaderboard").contains(ns + "/experience");
  }
}
