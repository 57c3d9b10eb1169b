package io.weft.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import io.weft.core.client.CallOptions;
import io.weft.core.client.MeshClient;
import io.weft.core.client.MeshClientOptions;
import io.weft.core.conn.CloseReason;
import io.weft.core.conn.ConnectionOptions;
import io.weft.core.conn.MeshConnection;
import io.weft.core.discovery.RegistryOptions;
import io.weft.core.lb.LoadBalancerType;
import io.weft.core.discovery.ServiceInstance;
import io.weft.core.discovery.ServiceRegistries;
import io.weft.core.protocol.Envelope.AccessReport;
import io.weft.core.protocol.Envelope.MethodAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Flow control between a gate and its instances: an instance that stops reading is routed around
 * while its unsent calls stand above the high-water mark, instead of having its link closed with
 * every call on it.
 */
@ExtendWith(VertxExtension.class)
class GateBackpressureIT {

  private static final int HIGH_WATER = 16 * 1024;

  @Test
  void anInstanceThatStopsReadingIsRoutedAroundUntilItDrains(Vertx vertx) throws Exception {
    MeshFixture mesh = new MeshFixture(vertx);
    mesh.startEcho();
    CompletableFuture<MeshConnection> stalledLink = new CompletableFuture<>();
    int stalledPort = stalledEcho(vertx, stalledLink);
    ServiceRegistries.create(vertx, new RegistryOptions()).register(new ServiceInstance("demo", "echo", null,
        "127.0.0.1", stalledPort, 1, Map.of(), null, System.currentTimeMillis())).await(5, TimeUnit.SECONDS);
    // Round robin, which does not look at calls in flight: the stalled instance keeps being picked.
    mesh.startGate(new GateOptions().setTickMs(5).setLoadBalancer(LoadBalancerType.ROUND_ROBIN).setServiceConnection(new ConnectionOptions()
        .setWriteLimits(HIGH_WATER, 64L * 1024 * 1024))
        // Room on the client's side too: the test is about the instances' links.
        .setClientConnection(new ConnectionOptions().setWriteLimits(1024 * 1024, 64L * 1024 * 1024)));
    mesh.awaitRoutable(2);
    // The client's own limit lets it queue the whole burst behind a gate that reads it slower.
    MeshClient client = MeshClient.connect(vertx, new MeshClientOptions().setPort(mesh.gate.actualPort())
        .setConnection(new ConnectionOptions().setWriteLimits(1024 * 1024, 64L * 1024 * 1024)))
        .await(5, TimeUnit.SECONDS);

    // 16 MiB of calls: more than loopback's socket buffers absorb (the gate's send buffer grows to
    // 4 MiB), so the rest stands in the gate's outbound buffer, above its high-water mark.
    String text = "x".repeat(32 * 1024);
    // Budgets long enough that no call fails meanwhile: only congestion takes the instance out.
    CallOptions longBudget = CallOptions.DEFAULT.withTimeoutMs(60_000);
    for (int i = 0; i < 512; i++) {
      client.call("demo", "echo", "Echo", Map.of("Text", text), Map.class, longBudget);
    }
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> mesh.routable().size() == 1);
    assertThat(stalledLink.get(1, TimeUnit.SECONDS).isOpen()).as("congested, not closed").isTrue();

    List<Future<Map>> later = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      // A budget that only a call sent to the stalled instance (which never answers) runs out of.
      later.add(client.call("demo", "echo", "Echo", Map.of("Text", text), Map.class, CallOptions.DEFAULT.withTimeoutMs(30_000)));
    }
    Future.join(later).transform(ar -> Future.succeededFuture()).await(60, TimeUnit.SECONDS);
    assertThat(later).allMatch(Future::succeeded);

    // Once it reads again, its link drains and it takes calls again.
    MeshConnection link = stalledLink.get();
    vertx.runOnContext(v -> link.pauseReading(false));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> mesh.routable().size() == 2);
  }

  /**
   * An instance of demo/echo that reports its methods and then reads nothing more: calls to it
   * stay in the gate's outbound buffer and the kernel's.
   */
  private static int stalledEcho(Vertx vertx, CompletableFuture<MeshConnection> link) throws Exception {
    // Default receive buffer: one smaller than loopback's MSS never opens a full window again,
    // and the gate's side would then only send on the kernel's zero-window probes.
    NetServer server = vertx.createNetServer(new io.vertx.core.net.NetServerOptions().setHost("127.0.0.1"));
    server.connectHandler(socket -> {
      MeshConnection conn = MeshConnection.attach(socket, new ConnectionOptions(), envelope -> {
      });
      conn.send(new AccessReport("demo", "echo", "stalled", Map.of("Echo", new MethodAccess(true, false, false))));
      conn.pauseReading(true);
      conn.closeHandler((CloseReason reason) -> {
      });
      link.complete(conn);
    });
    return server.listen(0).await(5, TimeUnit.SECONDS).actualPort();
  }
}
