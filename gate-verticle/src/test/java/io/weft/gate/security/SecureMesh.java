package io.weft.gate.security;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.weft.core.auth.AuthOptions;
import io.weft.core.auth.HmacTokens;
import io.weft.core.auth.TokenVerifier;
import io.weft.core.client.MeshClient;
import io.weft.core.client.MeshClientOptions;
import io.weft.core.discovery.RegistryOptions;
import io.weft.examples.echo.EchoService;
import io.weft.gate.GateOptions;
import io.weft.gate.GateVerticle;
import io.weft.service.ServiceHost;
import io.weft.service.ServiceOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** Gates and services for the security tests, on the test's Vert.x (its own in-JVM registry), on loopback. */
final class SecureMesh {

  static final String KEY = java.util.Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

  final Vertx vertx;
  /** The in-JVM registry, one per Vert.x: each test has its own. */
  final RegistryOptions registry = new RegistryOptions();
  final List<GateVerticle> gates = new CopyOnWriteArrayList<>();
  int port;

  SecureMesh(Vertx vertx) {
    this.vertx = vertx;
  }

  static AuthOptions auth() {
    return new AuthOptions().putKey("test", KEY);
  }

  static HmacTokens tokens() {
    return new HmacTokens(auth());
  }

  static String token(String subject) {
    return tokens().sign(subject, null, Duration.ofMinutes(5));
  }

  /** An external gate with the test key, a 200 ms auth timeout and heartbeats fit for tests. */
  static GateOptions external() {
    return new GateOptions().setMode(GateOptions.Mode.EXTERNAL).setAuth(auth()).setAuthTimeoutMs(200).setTickMs(5);
  }

  ServiceOptions service(String name) {
    return new ServiceOptions().setNamespace("demo").setName(name).setHost("127.0.0.1").setRegistry(registry);
  }

  SecureMesh echo() throws Exception {
    return echo(service("echo"));
  }

  SecureMesh echo(ServiceOptions options) throws Exception {
    vertx.deployVerticle(new ServiceHost(options, EchoService::new)).await(10, TimeUnit.SECONDS);
    return this;
  }

  SecureMesh guarded() throws Exception {
    vertx.deployVerticle(new ServiceHost(service("guarded"), GuardedService::new)).await(10, TimeUnit.SECONDS);
    return this;
  }

  GateVerticle gate(GateOptions options) throws Exception {
    return gate(options, 1, null);
  }

  /** Deploys {@code instances} instances of a gate on a free port. */
  GateVerticle gate(GateOptions options, int instances, TokenVerifier verifier) throws Exception {
    port = freePort();
    GateOptions o = new GateOptions(options).setHost("127.0.0.1").setPort(port).setRegistry(registry);
    vertx.deployVerticle(() -> {
      GateVerticle g = new GateVerticle(o, verifier);
      gates.add(g);
      return g;
    }, new DeploymentOptions().setInstances(instances)).await(10, TimeUnit.SECONDS);
    return gates.get(0);
  }

  /** Waits until the gate routes to {@code n} instances of {@code demo/service}. */
  void awaitRoutable(String service, int n) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> routable(service) == n);
  }

  /** Checks that the gate routes to no instance of {@code demo/service} for all of {@code period}. */
  void assertNeverRoutable(String service, Duration period) {
    Awaitility.await().during(period).atMost(period.plusSeconds(5)).until(() -> routable(service) == 0);
  }

  private int routable(String service) throws Exception {
    java.util.concurrent.CompletableFuture<Integer> count = new java.util.concurrent.CompletableFuture<>();
    vertx.runOnContext(v -> count.complete(gates.get(0).routableInstances("demo", service).size()));
    return count.get(1, TimeUnit.SECONDS);
  }

  MeshClient client(String token) throws Exception {
    return client(new MeshClientOptions().setToken(token));
  }

  MeshClient client(MeshClientOptions options) throws Exception {
    return MeshClient.connect(vertx, new MeshClientOptions(options).setPort(port).setTickMs(5)
        .setConnectTimeoutMs(3000)).await(5, TimeUnit.SECONDS);
  }

  Map<String, Long> counters() {
    return gates.get(0).securityCounters();
  }

  long counter(String name) {
    return counters().getOrDefault(name, 0L);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
