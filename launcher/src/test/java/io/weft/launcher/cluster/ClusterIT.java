package io.weft.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.core.MeshException;
import io.weft.core.client.CallOptions;
import io.weft.core.client.MeshClient;
import io.weft.core.client.MeshClientOptions;
import io.weft.core.test.EtcdProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The seed's cluster for real: an etcd, a gate process and echo processes, with calls flowing
 * while instances start, crash, freeze and thaw, and while etcd itself restarts. The scenarios
 * run in order on one cluster, as an operator would meet them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  private static final long HEARTBEAT_DEAD_MS = 400;
  private static final int LEASE_TTL_SEC = 2;

  private Path dir;
  private EtcdProcess etcd;
  private Client etcdClient;
  private WeftProcess gate;
  private final List<WeftProcess> echoes = new ArrayList<>();
  private Vertx vertx;
  private MeshClient client;
  private Traffic traffic;
  private int echoCount;

  @BeforeAll
  void startCluster() throws Exception {
    dir = Files.createTempDirectory("weft-cluster");
    etcd = EtcdProcess.start();
    etcdClient = Client.builder().endpoints(etcd.url()).build();
    int gatePort = freePort();
    gate = WeftProcess.start("gate", dir, new JsonObject()
        .put("registry", registry())
        .put("gates", new JsonArray().add(new JsonObject()
            .put("mode", "internal").put("host", "127.0.0.1").put("port", gatePort).put("tickMs", 5)
            .put("reconnectInitialMs", 50).put("reconnectMaxMs", 400)
            .put("serviceConnection", fastHeartbeat()))));
    WeftProcess first = startEcho();
    WeftProcess second = startEcho();
    gate.awaitStarted();
    first.awaitStarted();
    second.awaitStarted();
    vertx = Vertx.vertx();
    client = MeshClient.connect(vertx, new MeshClientOptions().setPort(gatePort).setTickMs(5)).await(10, TimeUnit.SECONDS);
    long start = System.nanoTime();
    traffic = new Traffic(client, 4, 2000);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> traffic.instancesSince(start).containsAll(Set.of(first.instanceId(), second.instanceId())));
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private JsonObject registry() {
    return new JsonObject().put("type", "etcd").put("endpoints", new JsonArray().add(etcd.url()))
        .put("leaseTtlSec", LEASE_TTL_SEC).put("relistMs", 1000);
  }

  private static JsonObject fastHeartbeat() {
    return new JsonObject().put("heartbeatIdleMs", 100).put("heartbeatDeadMs", HEARTBEAT_DEAD_MS);
  }

  private WeftProcess startEcho() throws Exception {
    WeftProcess echo = WeftProcess.start("echo-" + (++echoCount), dir, new JsonObject()
        .put("registry", registry())
        .put("services", new JsonArray().add(new JsonObject()
            .put("class", "io.weft.examples.echo.EchoService").put("namespace", "demo").put("name", "echo")
            .put("host", "127.0.0.1").put("port", 0).put("connection", fastHeartbeat()))));
    echoes.add(echo);
    return echo;
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (traffic != null) {
      traffic.stop();
    }
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    for (WeftProcess p : echoes) {
      p.close();
    }
    if (gate != null) {
      gate.close();
    }
    if (etcdClient != null) {
      etcdClient.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  private boolean registered(String instanceId) throws Exception {
    ByteSequence prefix = ByteSequence.from("/weft/services/demo/echo/", StandardCharsets.UTF_8);
    return etcdClient.getKVClient().get(prefix, GetOption.builder().isPrefix(true).build()).get(5, TimeUnit.SECONDS)
        .getKvs().stream().anyMatch(kv -> kv.getKey().toString(StandardCharsets.UTF_8).endsWith("/" + instanceId));
  }

  @Test
  @Order(1)
  void aNewInstanceReceivesTrafficWithinTwoSecondsOfRegistering() throws Exception {
    WeftProcess third = startEcho();
    third.awaitStarted();
    long registered = System.nanoTime();
    String id = third.instanceId();
    await().atMost(Duration.ofSeconds(2)).until(() -> traffic.instancesSince(registered).contains(id));
  }

  @Test
  @Order(2)
  void killingAnInstanceAnswersItsCallsInFlightAtOnceAndTheRestGoToSurvivors() throws Exception {
    WeftProcess victim = echoes.get(0);
    String victimId = victim.instanceId();
    List<Future<Map>> sleeps = new ArrayList<>();
    List<long[]> ends = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      long[] end = new long[2];
      ends.add(end);
      Future<Map> call = client.call("demo", "echo", "Sleep", Map.of("Ms", 3000), Map.class,
          CallOptions.DEFAULT.withTimeoutMs(10_000));
      call.onComplete(ar -> {
        end[0] = System.nanoTime();
        end[1] = ar.succeeded() ? 0 : ((MeshException) ar.cause()).code().value();
      });
      sleeps.add(call);
    }
    // The calls cannot be observed inside the gate from here: give them time to get there.
    await().pollDelay(Duration.ofMillis(500)).until(() -> true);
    long killed = System.nanoTime();
    victim.crash();
    Future.join(new ArrayList<>(sleeps)).otherwiseEmpty().await(15, TimeUnit.SECONDS);

    long lost = ends.stream().filter(e -> e[1] == 14).count();
    assertThat(lost).as("calls in flight on the killed instance").isPositive();
    assertThat(ends).allSatisfy(e -> assertThat(e[1]).as("only the lost calls fail, with 14").isIn(0L, 14L));
    assertThat(ends.stream().filter(e -> e[1] == 14)).allSatisfy(e ->
        assertThat((e[0] - killed) / 1_000_000).as("answered at once, not at the deadline").isLessThan(1000));

    long after = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
    await().atMost(Duration.ofSeconds(5)).until(() -> traffic.successesSince(after) > 50);
    assertThat(traffic.since(after)).allSatisfy(o -> {
      assertThat(o.code()).isZero();
      assertThat(o.instance()).isNotEqualTo(victimId);
    });
  }

  @Test
  @Order(3)
  void aFrozenInstanceIsEvictedAfterTheHeartbeatDeadTimeAndComesBackWhenThawed() throws Exception {
    WeftProcess frozen = echoes.get(1);
    String frozenId = frozen.instanceId();
    long stopped = System.nanoTime();
    frozen.signal("STOP");
    long evicted = stopped + TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_DEAD_MS + 300);
    await().atMost(Duration.ofSeconds(3)).until(() -> traffic.successesSince(evicted) > 50);
    assertThat(traffic.since(evicted)).allSatisfy(o -> assertThat(o.instance()).isNotEqualTo(frozenId));
    assertThat(traffic.matching(o -> o.startNanos() >= stopped - TimeUnit.SECONDS.toNanos(1)))
        .as("no call hangs on the frozen instance past its eviction")
        .allSatisfy(o -> assertThat(o.latencyMs()).isLessThan(HEARTBEAT_DEAD_MS + 600));
    assertThat(registered(frozenId)).as("frozen for less than its lease TTL").isTrue();

    long thawed = System.nanoTime();
    frozen.signal("CONT");
    await().atMost(Duration.ofSeconds(5)).until(() -> traffic.instancesSince(thawed).contains(frozenId));
  }

  @Test
  @Order(4)
  void anEtcdRestartLosesNoCallAndTheGatesViewConverges() throws Exception {
    long down = System.nanoTime();
    etcd.kill();
    // An outage long enough for keepalives and the gate's watch to fail.
    await().pollDelay(Duration.ofMillis(1500)).until(() -> true);
    etcd.restart(false);
    List<String> live = echoes.stream().filter(WeftProcess::isAlive).map(WeftProcess::instanceId).toList();
    await().atMost(Duration.ofSeconds(10)).until(() -> live.stream().allMatch(id -> {
      try {
        return registered(id);
      } catch (Exception e) {
        return false;
      }
    }));
    // the gate watches etcd again: an instance started now is found
    WeftProcess fresh = startEcho();
    fresh.awaitStarted();
    long started = System.nanoTime();
    await().atMost(Duration.ofSeconds(5)).until(() -> traffic.instancesSince(started).contains(fresh.instanceId()));
    assertThat(traffic.since(down)).as("calls while etcd was down and after").allSatisfy(o -> assertThat(o.code()).isZero());
  }

  @Test
  @Order(5)
  void aPausedInstanceWhoseLeaseExpiredRegistersAgainWhenItResumes() throws Exception {
    WeftProcess paused = echoes.get(2);
    String pausedId = paused.instanceId();
    paused.signal("STOP");
    await().atMost(Duration.ofSeconds(LEASE_TTL_SEC + 5L)).until(() -> !registered(pausedId));
    long resumed = System.nanoTime();
    paused.signal("CONT");
    await().atMost(Duration.ofSeconds(10)).until(() -> registered(pausedId));
    await().atMost(Duration.ofSeconds(5)).until(() -> traffic.instancesSince(resumed).contains(pausedId));
  }
}
