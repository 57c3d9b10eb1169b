package io.weft.gate;

import io.vertx.core.Vertx;
import io.weft.core.client.MeshClient;
import io.weft.core.client.MeshClientOptions;
import io.weft.examples.echo.EchoService;
import io.weft.service.ServiceHost;
import io.weft.service.ServiceOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** A gate and echo service instances in one Vert.x, on loopback and free ports. */
final class MeshFixture {

  final Vertx vertx;
  final List<String> serviceDeployments = new ArrayList<>();
  GateVerticle gate;

  MeshFixture(Vertx vertx) {
    this.vertx = vertx;
  }

  static ServiceOptions echoOptions() {
    return new ServiceOptions().setNamespace("demo").setName("echo").setHost("127.0.0.1");
  }

  String startEcho() throws Exception {
    return startEcho(echoOptions());
  }

  String startEcho(ServiceOptions options) throws Exception {
    String id = vertx.deployVerticle(new ServiceHost(options, EchoService::new)).await(10, TimeUnit.SECONDS);
    serviceDeployments.add(id);
    return id;
  }

  GateVerticle startGate(GateOptions options) throws Exception {
    GateVerticle g = new GateVerticle(options.setHost("127.0.0.1").setPort(0));
    vertx.deployVerticle(g).await(10, TimeUnit.SECONDS);
    gate = g;
    return g;
  }

  GateVerticle startGate() throws Exception {
    return startGate(new GateOptions().setTickMs(5));
  }

  /** Waits until the gate routes to {@code instances} echo instances. */
  void awaitRoutable(int instances) {
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> routable().size() == instances);
  }

  /** The echo instances the gate routes to now. */
  java.util.List<String> routable() throws Exception {
    java.util.concurrent.CompletableFuture<java.util.List<String>> ids = new java.util.concurrent.CompletableFuture<>();
    vertx.runOnContext(v -> ids.complete(gate.routableInstances("demo", "echo")));
    return ids.get(1, TimeUnit.SECONDS);
  }

  MeshClient client() throws Exception {
    return MeshClient.connect(vertx, new MeshClientOptions().setPort(gate.actualPort()).setTickMs(5))
        .await(5, TimeUnit.SECONDS);
  }
}
