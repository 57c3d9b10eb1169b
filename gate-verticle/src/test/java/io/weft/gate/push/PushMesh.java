package io.weft.gate.push;

import io.vertx.core.Vertx;
import io.weft.core.client.MeshClient;
import io.weft.core.client.MeshClientOptions;
import io.weft.core.session.SessionOptions;
import io.weft.core.test.TestServers;
import io.weft.examples.echo.EchoService;
import io.weft.gate.GateOptions;
import io.weft.gate.GateVerticle;
import io.weft.push.PushHost;
import io.weft.push.PushOptions;
import io.weft.push.SafePushOptions;
import io.weft.service.ServiceHost;
import io.weft.service.ServiceOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Gates, the echo service and the push service in one Vert.x, with sessions in the real Redis of
 * the test run and safe pushes in an embedded MongoDB-wire server in a temp directory.
 */
final class PushMesh {

  final Vertx vertx;
  final SessionOptions sessions;
  final Path dataDir;
  final Map<Integer, String> gateDeployments = new HashMap<>();
  final List<GateVerticle> gates = new ArrayList<>();

  PushMesh(Vertx vertx, Path dataDir, int sessionTtlSeconds) {
    this.vertx = vertx;
    this.dataDir = dataDir;
    this.sessions = new SessionOptions().setType(SessionOptions.Type.REDIS)
        .setConnectionString(TestServers.redis()).setTtlSeconds(sessionTtlSeconds);
  }

  PushMesh startServices() throws Exception {
    vertx.deployVerticle(new ServiceHost(new ServiceOptions().setNamespace("demo").setName("echo").setHost("127.0.0.1"),
        EchoService::new)).await(10, TimeUnit.SECONDS);
    PushOptions push = new PushOptions().setSessions(sessions)
        .setStore(new SafePushOptions().setEmbedded(true).setDataDir(dataDir.toString()));
    push.getService().setHost("127.0.0.1");
    vertx.deployVerticle(new PushHost(push)).await(20, TimeUnit.SECONDS);
    return this;
  }

  GateVerticle startGate() throws Exception {
    GateVerticle gate = new GateVerticle(new GateOptions().setHost("127.0.0.1").setPort(0).setTickMs(5)
        .setSessions(sessions));
    String id = vertx.deployVerticle(gate).await(10, TimeUnit.SECONDS);
    gates.add(gate);
    gateDeployments.put(gates.size() - 1, id);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> routes(gate, "weft", "push") && routes(gate, "demo", "echo"));
    return gate;
  }

  void stopGate(int index) throws Exception {
    vertx.undeploy(gateDeployments.remove(index)).await(10, TimeUnit.SECONDS);
  }

  private boolean routes(GateVerticle gate, String namespace, String service) throws Exception {
    CompletableFuture<Boolean> routable = new CompletableFuture<>();
    vertx.runOnContext(v -> routable.complete(!gate.routableInstances(namespace, service).isEmpty()));
    return routable.get(1, TimeUnit.SECONDS);
  }

  MeshClient client(GateVerticle gate) throws Exception {
    return MeshClient.connect(vertx, new MeshClientOptions().setPort(gate.actualPort()).setTickMs(5))
        .await(5, TimeUnit.SECONDS);
  }
}
