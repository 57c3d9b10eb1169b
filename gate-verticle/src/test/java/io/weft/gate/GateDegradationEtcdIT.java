package io.weft.gate;

import static io.weft.gate.GateDegradationIT.WITHIN_A_SECOND;
import static io.weft.gate.GateDegradationIT.outcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.DeleteOption;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.client.MeshClient;
import io.weft.core.client.MeshClientOptions;
import io.weft.core.discovery.RegistryOptions;
import io.weft.core.test.TestServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runtime degradation on etcd: a switch written straight into etcd, as an operator or another
 * process would, applies at a gate of the etcd registry (both of its event-loop instances) within a
 * second, and its removal likewise.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class GateDegradationEtcdIT {

  /** A namespace of its own, so that tests sharing the etcd do not see each other. */
  private final String ns = "degrade-" + UUID.randomUUID().toString().substring(0, 8);
  private Client etcd;

  @BeforeEach
  void connect() {
    etcd = Client.builder().endpoints(TestServers.etcd()).build();
  }

  @AfterEach
  void cleanUp() throws Exception {
    etcd.getKVClient().delete(bytes("/weft/config/disabled/" + ns + "/"), DeleteOption.builder().isPrefix(true).build())
        .get(5, TimeUnit.SECONDS);
    etcd.close();
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  @Test
  void aSwitchWrittenInEtcdAppliesAtEveryGateInstanceWithinASecond(Vertx vertx) throws Exception {
    RegistryOptions registry = new RegistryOptions().setType(RegistryOptions.Type.ETCD)
        .setEndpoints(List.of(TestServers.etcd()));
    MeshFixture mesh = new MeshFixture(vertx);
    mesh.startEcho(MeshFixture.echoOptions().setNamespace(ns).setRegistry(registry));
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    GateOptions gateOptions = new GateOptions().setTickMs(5).setRegistry(registry).setHost("127.0.0.1").setPort(port);
    // Two instances sharing the port, as one per event loop: each watches the switches itself.
    List<GateVerticle> instances = new java.util.concurrent.CopyOnWriteArrayList<>();
    vertx.deployVerticle(() -> {
      GateVerticle gate = new GateVerticle(gateOptions);
      instances.add(gate);
      return gate;
    }, new DeploymentOptions().setInstances(2)).await(10, TimeUnit.SECONDS);
    List<MeshClient> clients = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      clients.add(MeshClient.connect(vertx, new MeshClientOptions().setPort(port))
          .await(5, TimeUnit.SECONDS));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> clients.stream().allMatch(c -> isOk(c, "Echo")));
    assertThat(instances).as("the clients are spread over both instances").allMatch(g -> g.connections() > 0);

    etcd.getKVClient().put(bytes("/weft/config/disabled/" + ns + "/echo/Echo"), bytes("{\"sources\":[]}"))
        .get(5, TimeUnit.SECONDS);
    await().atMost(WITHIN_A_SECOND).pollInterval(Duration.ofMillis(20)).until(() -> clients.stream()
        .allMatch(c -> outcome(c, ns, "echo", "Echo").equals("14: " + ns + "/echo.Echo is disabled")));
    assertThat(clients).allMatch(c -> isOk(c, "Whoami"));

    etcd.getKVClient().delete(bytes("/weft/config/disabled/" + ns + "/echo/Echo")).get(5, TimeUnit.SECONDS);
    await().atMost(WITHIN_A_SECOND).pollInterval(Duration.ofMillis(20))
        .until(() -> clients.stream().allMatch(c -> isOk(c, "Echo")));
  }

  private boolean isOk(MeshClient client, String method) {
    return outcome(client, ns, "echo", method).equals("ok");
  }
}
