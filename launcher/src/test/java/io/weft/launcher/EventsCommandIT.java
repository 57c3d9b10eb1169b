package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.events.EventKeys;
import io.weft.core.events.EventStore;
import io.weft.core.events.EventsOptions;
import io.weft.core.events.StreamEntry;
import io.weft.core.test.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** {@code weft events stats | dead | replay} against the test Redis, run in this JVM. */
@ExtendWith(VertxExtension.class)
class EventsCommandIT {

  private final String topic = "cli." + UUID.randomUUID();
  private final String stream = EventKeys.topic(topic);
  private final String group = "cli/svc";
  private EventStore store;

  @BeforeEach
  void open(Vertx vertx) {
    store = EventStore.create(vertx, new EventsOptions().setRedis(TestServers.redis()));
  }

  @AfterEach
  void close() throws Exception {
    store.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.DEL).arg(stream)
        .arg(EventKeys.deadLetters(stream, group))).await(10, TimeUnit.SECONDS);
    store.close().await(10, TimeUnit.SECONDS);
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
  void statsShowTheGroupsDeadShowsWhyAndReplayPutsTheEventBack() throws Exception {
    store.createGroup(stream, group, "0").await(10, TimeUnit.SECONDS);
    store.publish(topic, ArgsCodec.encode(Map.of("From", "ann", "Value", 5)), "demo/chat@h:1", null, "bob")
        .await(10, TimeUnit.SECONDS);
    String doomed = store.publish(topic, ArgsCodec.encode(Map.of("From", "eve", "Value", 6)), "demo/chat@h:1", null,
        null).await(10, TimeUnit.SECONDS);
    var reader = store.newReader();
    List<StreamEntry> read = store.read(reader, stream, group, "c1", 10, 100).await(10, TimeUnit.SECONDS);
    reader.close();
    assertThat(read).hasSize(2);
    store.ack(stream, group, read.get(0).id(), false).await(10, TimeUnit.SECONDS);
    store.deadLetter(stream, group, "c1", doomed, 3, "no such user eve", false).await(10, TimeUnit.SECONDS);

    String redis = "--redis=" + TestServers.redis();
    String[] stats = run("events", "stats", topic, redis);
    assertThat(stats[0]).as(stats[2]).isEqualTo("0");
    assertThat(stats[1]).contains(stream + "  length 2").containsPattern("cli/svc\\s+1\\s+0\\s+0\\s+1\\s+" + doomed);

    String[] dead = run("events", "dead", topic, group, redis);
    assertThat(dead[0]).as(dead[2]).isEqualTo("0");
    assertThat(dead[1]).contains("origin " + doomed).contains("attempts 3").contains("reason: no such user eve")
        .contains("publisher=demo/chat@h:1").contains("\"From\":\"eve\"");

    String[] replay = run("events", "replay", topic, group, redis);
    assertThat(replay[0]).as(replay[2]).isEqualTo("0");
    assertThat(replay[1]).contains("replayed 1 dead letter(s) of cli/svc on " + stream);
    List<StreamEntry> all = store.range(stream, "-", 10).await(10, TimeUnit.SECONDS);
    assertThat(all).hasSize(3);
    assertThat(all.get(2).group()).isEqualTo(group);
    assertThat(all.get(2).text(StreamEntry.REPLAY_OF)).isEqualTo(doomed);
    assertThat(run("events", "dead", topic, group, redis)[1]).contains("no dead letters");
  }

  @Test
  void badArgumentsExitWith2AndAnUnreachableRedisWith1() {
    String[] badTopic = run("events", "stats", "no spaces", "--redis=" + TestServers.redis());
    assertThat(badTopic[0]).isEqualTo("2");
    assertThat(badTopic[2]).contains("a topic is");
    String[] badGroup = run("events", "replay", topic, "svc", "--redis=" + TestServers.redis());
    assertThat(badGroup[0]).isEqualTo("2");
    assertThat(badGroup[2]).contains("<namespace>/<service>");
    String[] unreachable = run("events", "stats", topic, "--redis=redis://127.0.0.1:1");
    assertThat(unreachable[0]).isEqualTo("1");
    assertThat(unreachable[2]).contains("Redis at redis://127.0.0.1:1 failed");
  }
}
