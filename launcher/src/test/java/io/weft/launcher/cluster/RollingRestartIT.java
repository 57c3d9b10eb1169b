package io.weft.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.core.client.GateDraining;
import io.weft.core.client.MeshClient;
import io.weft.core.client.MeshClientOptions;
import io.weft.core.test.EtcdProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Graceful drain for real (PROTOCOL.md section 15, OPERATIONS.md "Drain"): a gate process and echo
 * processes under continuous load from several client connections, then a rolling restart, as
 * Kubernetes does one: start a replacement, SIGTERM an old instance, repeat. Every call succeeds,
 * the calls that are not idempotent included, and every process exits 0 within its deadline.
 * Then the gate itself is stopped: its clients are told and it exits 0 once they have left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollingRestartIT {

  private static final long DRAIN_TIMEOUT_MS = 5_000;
  private static final long GATE_GRACE_MS = 5_000;
  /** A JVM's own start-up and shut-down on a busy machine, beyond the drain's deadline. */
  private static final long JVM_SLACK_MS = 5_000;
  private static final int CLIENTS = 3;

  private Path dir;
  private EtcdProcess etcd;
  private WeftProcess gate;
  private final List<WeftProcess> echoes = new ArrayList<>();
  private int echoCount;
  private Vertx vertx;
  private final List<MeshClient> clients = new ArrayList<>();
  private final List<Traffic> traffic = new ArrayList<>();

  @BeforeAll
  void startCluster() throws Exception {
    dir = Files.createTempDirectory("weft-rolling");
    etcd = EtcdProcess.start();
    int gatePort = freePort();
    gate = WeftProcess.start("gate", dir, new JsonObject()
        .put("registry", registry())
        .put("gates", new JsonArray().add(new JsonObject()
            .put("mode", "internal").put("host", "127.0.0.1").put("port", gatePort).put("tickMs", 5)
            .put("reconnectInitialMs", 50).put("reconnectMaxMs", 400).put("drainGraceMs", GATE_GRACE_MS)
            .put("serviceConnection", fastHeartbeat()))));
    WeftProcess first = startEcho();
    WeftProcess second = startEcho();
    gate.awaitStarted();
    first.awaitStarted();
    second.awaitStarted();
    vertx = Vertx.vertx();
    for (int i = 0; i < CLIENTS; i++) {
      clients.add(MeshClient.connect(vertx, new MeshClientOptions().setPort(gatePort).setTickMs(5)).await(10, TimeUnit.SECONDS));
    }
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private JsonObject registry() {
    return new JsonObject().put("type", "etcd").put("endpoints", new JsonArray().add(etcd.url()))
        .put("leaseTtlSec", 2).put("relistMs", 1000);
  }

  private static JsonObject fastHeartbeat() {
    return new JsonObject().put("heartbeatIdleMs", 100).put("heartbeatDeadMs", 400);
  }

  private WeftProcess startEcho() throws Exception {
    WeftProcess echo = WeftProcess.start("echo-" + (++echoCount), dir, new JsonObject()
        .put("registry", registry())
        .put("services", new JsonArray().add(new JsonObject()
            .put("class", "io.weft.examples.echo.EchoService").put("namespace", "demo").put("name", "echo")
            .put("host", "127.0.0.1").put("port", 0).put("connection", fastHeartbeat())
            .put("drainTimeoutMs", DRAIN_TIMEOUT_MS))));
    echoes.add(echo);
    return echo;
  }

  @AfterAll
  void stopCluster() throws Exception {
    traffic.forEach(Traffic::stop);
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    for (WeftProcess p : echoes) {
      p.close();
    }
    if (gate != null) {
      gate.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  private List<Traffic.Outcome> outcomes() {
    return traffic.stream().flatMap(t -> t.all().stream()).toList();
  }

  private long answeredBy(String instance, long sinceNanos) {
    return traffic.stream().mapToLong(t -> t.since(sinceNanos).stream().filter(o -> instance.equals(o.instance())).count())
        .sum();
  }

  @Test
  @Order(1)
  void aRollingRestartUnderLoadLosesNoCall() throws Exception {
    for (MeshClient client : clients) {
      // Quick idempotent calls, calls that stay in flight a while, and calls that are not idempotent
      // (never retried: each must reach a serving instance, or be handed back unrun).
      traffic.add(new Traffic(client, 3, 10_000));
      traffic.add(new Traffic(client, 2, 10_000, "Sleep", Map.of("Ms", 200)));
      traffic.add(new Traffic(client, 2, 10_000, "Seq", Map.of("Key", "rolling", "N", 1)));
    }
    List<WeftProcess> old = List.copyOf(echoes);
    long begin = System.nanoTime();
    await().atMost(Duration.ofSeconds(10)).until(() -> old.stream().allMatch(p -> answeredBy(p.instanceId(), begin) > 0));

    for (WeftProcess leaving : old) {
      WeftProcess replacement = startEcho().awaitStarted();
      long started = System.nanoTime();
      await().atMost(Duration.ofSeconds(5)).until(() -> answeredBy(replacement.instanceId(), started) > 20);

      long terminated = System.nanoTime();
      leaving.signal("TERM");
      int status = leaving.awaitExit(Duration.ofMillis(DRAIN_TIMEOUT_MS + JVM_SLACK_MS));
      long exitMs = (System.nanoTime() - terminated) / 1_000_000;

      assertThat(status).as(leaving + " exit status").isZero();
      assertThat(exitMs).as(leaving + " exited within its drain timeout").isLessThan(DRAIN_TIMEOUT_MS + JVM_SLACK_MS);
      assertThat(leaving.log()).contains("drained in").doesNotContain("reached its drain timeout");
      System.out.println(leaving + " exited 0, " + exitMs + " ms after SIGTERM");
    }

    long after = System.nanoTime();
    await().atMost(Duration.ofSeconds(5)).until(() -> traffic.stream().mapToLong(t -> t.successesSince(after)).sum() > 200);
    traffic.forEach(Traffic::stop);
    await().atMost(Duration.ofSeconds(15)).until(() -> traffic.stream().allMatch(t -> t.inFlight() == 0));

    List<Traffic.Outcome> all = outcomes();
    System.out.println("Rolling restart: " + all.size() + " calls, "
        + all.stream().filter(o -> o.code() != 0).count() + " failed");
    assertThat(all.size()).as("calls made").isGreaterThan(2_000);
    assertThat(all).as("every call succeeded").allSatisfy(o -> assertThat(o.code()).isZero());
    List<String> oldIds = old.stream().map(WeftProcess::instanceId).toList();
    assertThat(traffic.stream().flatMap(t -> t.since(after).stream()).map(Traffic.Outcome::instance))
        .as("only the replacements answer now").doesNotContainAnyElementsOf(oldIds);
  }

  @Test
  @Order(2)
  void aStoppedGateTellsItsClientsAndExitsOnceTheyHaveLeft() throws Exception {
    List<CompletableFuture<GateDraining>> notices = new ArrayList<>();
    for (MeshClient client : clients) {
      CompletableFuture<GateDraining> notice = new CompletableFuture<>();
      // As a real client would, once it has reconnected elsewhere: here there is no other gate.
      client.onDraining(n -> {
        notice.complete(n);
        client.call("demo", "echo", "Whoami", Map.of(), Map.class)
            .eventually(() -> client.close()).onComplete(ar -> { });
      });
      notices.add(notice);
    }

    long terminated = System.nanoTime();
    gate.signal("TERM");
    for (CompletableFuture<GateDraining> notice : notices) {
      GateDraining n = notice.get(5, TimeUnit.SECONDS);
      assertThat(n.graceMs()).isPositive().isLessThanOrEqualTo(GATE_GRACE_MS);
    }
    int status = gate.awaitExit(Duration.ofMillis(GATE_GRACE_MS + JVM_SLACK_MS));
    long exitMs = (System.nanoTime() - terminated) / 1_000_000;

    assertThat(status).isZero();
    assertThat(exitMs).as("its clients left before the grace ended").isLessThan(GATE_GRACE_MS);
    assertThat(gate.log()).contains("drained in");
    System.out.println("gate exited 0, " + exitMs + " ms after SIGTERM");
  }
}
