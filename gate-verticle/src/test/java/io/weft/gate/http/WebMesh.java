package io.weft.gate.http;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.weft.core.auth.AuthOptions;
import io.weft.core.auth.HmacTokens;
import io.weft.core.discovery.RegistryOptions;
import io.weft.examples.echo.EchoService;
import io.weft.gate.GateHttpOptions;
import io.weft.gate.GateOptions;
import io.weft.gate.GateVerticle;
import io.weft.push.PushHost;
import io.weft.push.PushOptions;
import io.weft.push.SafePushOptions;
import io.weft.service.ServiceHost;
import io.weft.service.ServiceOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** A gate with its HTTP side, the echo service and (when asked) the push service, on the test's Vert.x. */
final class WebMesh {

  static final String KEY = java.util.Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

  final Vertx vertx;
  final RegistryOptions registry = new RegistryOptions();
  final List<GateVerticle> gates = new CopyOnWriteArrayList<>();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  WebMesh(Vertx vertx) {
    this.vertx = vertx;
  }

  static AuthOptions auth() {
    return new AuthOptions().putKey("test", KEY);
  }

  static String token(String subject) {
    return new HmacTokens(auth()).sign(subject, null, Duration.ofMinutes(5));
  }

  /** An external gate with the test key, a short auth timeout, and an HTTP side on a free port. */
  static GateOptions external() {
    return new GateOptions().setMode(GateOptions.Mode.EXTERNAL).setAuth(auth()).setAuthTimeoutMs(10_000).setTickMs(5)
        .setHttp(new GateHttpOptions().setPort(0));
  }

  static GateOptions internal() {
    return new GateOptions().setTickMs(5).setHttp(new GateHttpOptions().setPort(0));
  }

  WebMesh echo() throws Exception {
    vertx.deployVerticle(new ServiceHost(new ServiceOptions().setNamespace("demo").setName("echo").setHost("127.0.0.1")
        .setRegistry(registry), EchoService::new)).await(10, TimeUnit.SECONDS);
    return this;
  }

  WebMesh push(Path dataDir) throws Exception {
    PushOptions push = new PushOptions().setStore(new SafePushOptions().setEmbedded(true).setDataDir(dataDir.toString()));
    push.getService().setHost("127.0.0.1").setRegistry(registry);
    vertx.deployVerticle(new PushHost(push)).await(20, TimeUnit.SECONDS);
    return this;
  }

  GateVerticle gate(GateOptions options) throws Exception {
    GateOptions o = new GateOptions(options).setHost("127.0.0.1").setPort(0).setRegistry(registry);
    vertx.deployVerticle(() -> {
      GateVerticle g = new GateVerticle(o);
      gates.add(g);
      return g;
    }, new DeploymentOptions()).await(10, TimeUnit.SECONDS);
    return gates.get(0);
  }

  int httpPort() {
    return gates.get(0).actualHttpPort();
  }

  void awaitRoutable(String namespace, String service) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
      CompletableFuture<Boolean> routable = new CompletableFuture<>();
      vertx.runOnContext(v -> routable.complete(!gates.get(0).routableInstances(namespace, service).isEmpty()));
      return routable.get(1, TimeUnit.SECONDS);
    });
  }

  WsClient ws() throws Exception {
    return WsClient.connect(vertx, httpPort(), null);
  }

  long counter(String name) {
    return gates.get(0).securityCounters().getOrDefault(name, 0L);
  }

  HttpResponse<String> post(String path, String json, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(json));
    boolean typed = false;
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
      typed |= headers[i].equalsIgnoreCase("Content-Type");
    }
    if (!typed) {
      request.header("Content-Type", "application/json");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
