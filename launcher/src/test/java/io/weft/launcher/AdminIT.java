package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.core.metrics.MeshMetrics;
import io.weft.launcher.impl.AdminServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin server of the conf/local.json mesh (in this JVM, on free ports) under some traffic:
 * health, readiness, status, Prometheus metrics, {@code weft status}, and the dashboard rendered by
 * headless Chromium, whose screenshot lands in {@code target/dashboard.png}.
 */
class AdminIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Vertx vertx;
  private static int gatePort;
  private static int adminPort;
  private static String gateId;

  @BeforeAll
  static void startMeshAndSendTraffic() throws Exception {
    vertx = Vertx.vertx();
    gatePort = freePort();
    gateId = "127.0.0.1:" + gatePort;
    JsonObject conf = MeshConfigTest.localJson();
    conf.getJsonArray("gates").getJsonObject(0).put("port", gatePort);
    conf.getJsonArray("gates").getJsonObject(1).put("port", 0);
    conf.getJsonObject("admin").put("port", 0);
    // Rates over a long window, so that they stay up once the traffic stops.
    conf.put("metrics", new JsonObject().put("sampleMs", 100).put("windowMs", 120_000).put("velocityLogMs", 0)
        .put("topSources", 3));
    conf.getJsonObject("push").getJsonObject("store").put("dataDir", Files.createTempDirectory("weft-push").toString());
    MeshVerticle mesh = new MeshVerticle();
    vertx.deployVerticle(mesh, new DeploymentOptions().setConfig(conf)).await(30, TimeUnit.SECONDS);
    adminPort = mesh.admin().port();

    String[] bench = run("bench", "--scenario", "c2s", "--gate", gateId, "--connections", "2", "--inflight", "4",
        "--warmup", "0s", "--duration", "1s");
    assertThat(bench[0]).as(bench[2]).isEqualTo("0");
    assertThat(run("call", "--gate", gateId, "echo.Fail", "{\"Message\":\"boom\"}")[0]).isEqualTo("1");
    // Names nobody registered: counted, under (unknown), without meters of their own.
    assertThat(run("call", "--gate", gateId, "echo.NoSuchMethod")[0]).isEqualTo("1");
    assertThat(run("call", "--gate", gateId, "--namespace", "nowhere", "ghost.Boo")[0]).isEqualTo("1");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> echo(status()) != null
        && echo(status()).getDouble("callsPerSec") > 0 && echo(status()).getLong("calls") >= 4);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void healthAndReadinessAnswerWithTheRoles() throws Exception {
    HttpResponse<String> health = get("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(health.body()).getString("status")).isEqualTo("UP");
    HttpResponse<String> ready = get("/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(ready.body());
    assertThat(body.getString("status")).isEqualTo("READY");
    List<String> roles = new ArrayList<>();
    body.getJsonArray("roles").forEach(r -> roles.add(((JsonObject) r).getString("kind")));
    // Two gates, two echo instances, the relay, chat, friends and leaderboard, and the push service.
    assertThat(roles).containsExactlyInAnyOrder("gate", "gate", "service", "service", "service", "service",
        "service", "service", "push");
  }

  @Test
  void statusShowsServicesInstancesRatesAndErrors() throws Exception {
    JsonObject status = status();
    assertThat(status.getBoolean("ready")).isTrue();
    assertThat(status.getJsonObject("velocity").getDouble("clientRequestsPerSec")).isPositive();
    assertThat(status.getJsonObject("velocity").getDouble("serviceCallsPerSec")).isPositive();
    JsonObject echo = echo(status);
    assertThat(echo.getInteger("routable")).isEqualTo(2);
    assertThat(echo.getJsonArray("instances")).hasSize(2);
    assertThat(echo.getDouble("p99Ms")).isPositive();
    assertThat(echo.getJsonObject("errorsByCode").fieldNames()).contains("INTERNAL", "UNIMPLEMENTED");
    assertThat(echo.getJsonObject("breakers").getInteger("CLOSED")).isPositive();
    List<String> methods = new ArrayList<>();
    JsonObject echoMethod = null;
    for (Object o : echo.getJsonArray("methods")) {
      JsonObject m = (JsonObject) o;
      methods.add(m.getString("method"));
      if ("Echo".equals(m.getString("method"))) {
        echoMethod = m;
      }
    }
    assertThat(methods).contains("Echo", "Fail", "(unknown)").doesNotContain("NoSuchMethod");
    assertThat(echoMethod.getDouble("callsPerSec")).isPositive();
    assertThat(echoMethod.getJsonArray("topSources")).isNotEmpty();

    JsonObject gate = gate(status);
    assertThat(gate.getString("mode")).isEqualTo("internal");
    assertThat(gate.getDouble("clientRequestsPerSec")).isPositive();
    boolean unknownService = false;
    for (Object o : gate.getJsonArray("services")) {
      unknownService |= "(unknown)".equals(((JsonObject) o).getString("service"));
    }
    assertThat(unknownService).as("calls to a service nobody registered").isTrue();

    int echoInstances = 0;
    for (Object o : status.getJsonArray("services")) {
      JsonObject instance = (JsonObject) o;
      if ("demo/echo".equals(instance.getString("service"))) {
        echoInstances++;
        assertThat(instance.getBoolean("ready")).isTrue();
        assertThat(instance.getInteger("gates")).isEqualTo(2);
      }
    }
    assertThat(echoInstances).isEqualTo(2);
    double served = 0;
    for (Object o : status.getJsonArray("services")) {
      served += ((JsonObject) o).getDouble("callsPerSec");
    }
    assertThat(served).isPositive();
  }

  @Test
  void metricsArePrometheusTextWithBoundedNames() throws Exception {
    HttpResponse<String> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    String text = response.body();
    assertThat(text)
        .contains("weft_gate_client_requests_total{gate=\"" + gateId + "\"}")
        .contains("weft_gate_routes_total{gate=\"" + gateId + "\"}")
        .contains("weft_gate_calls_total{code=\"OK\",gate=\"" + gateId + "\",method=\"Echo\",service=\"demo/echo\"}")
        .contains("weft_gate_call_duration_seconds_bucket{gate=\"" + gateId + "\",method=\"Echo\",service=\"demo/echo\",le=")
        .contains("weft_gate_calls_total{code=\"UNAVAILABLE\",gate=\"" + gateId
            + "\",method=\"(unknown)\",service=\"(unknown)\"}")
        .contains("weft_gate_connections{gate=\"" + gateId + "\"}")
        .contains("weft_gate_instances{gate=\"" + gateId + "\",service=\"demo/echo\",state=\"routable\"} 2.0")
        .contains("weft_gate_breakers{gate=\"" + gateId + "\",service=\"demo/echo\",state=\"closed\"}")
        .contains("weft_gate_source_calls{")
        .contains("weft_service_calls_total{code=\"OK\",instance=")
        .contains("weft_service_calls_total{code=\"UNIMPLEMENTED\",instance=")
        .contains("weft_service_call_duration_seconds_bucket{")
        .contains("weft_service_gates{")
        .contains("weft_push_pushes_total{")
        .contains("jvm_memory_used_bytes")
        .doesNotContain("NoSuchMethod")
        .doesNotContain("ghost")
        .doesNotContain("nowhere");
  }

  @Test
  void weftStatusPrintsTheSameAsTables() {
    String[] result = run("status", "--admin", "127.0.0.1:" + adminPort);
    assertThat(result[0]).as(result[2]).isEqualTo("0");
    assertThat(result[1]).contains("Weft at 127.0.0.1:" + adminPort + ": ready")
        .contains("Velocity: ")
        .contains("GATE").contains(gateId).contains("internal")
        .contains("SERVICE").contains("demo/echo").contains("2/2")
        .contains("INSTANCE").contains("demo/relay@").contains("push");
    String[] json = run("status", "--admin", "127.0.0.1:" + adminPort, "--json");
    assertThat(new JsonObject(json[1]).getJsonArray("gates")).hasSize(2);
    String[] unreachable = run("status", "--admin", "127.0.0.1:" + freePortUnchecked(), "--timeout", "2s");
    assertThat(unreachable[0]).isEqualTo("1");
    assertThat(unreachable[2]).contains("cannot read");
  }

  @Test
  void theDashboardRendersServicesInstancesAndRatesInChromium() throws Exception {
    String url = "http://127.0.0.1:" + adminPort + "/?every=200";
    String dom = Chromium.run("--virtual-time-budget=5000", "--dump-dom", url);
    assertThat(dom).contains("demo/echo").contains("demo/relay").contains(gateId).contains("badge ok");
    // The Echo service's QPS cell shows a rate above zero.
    assertThat(dom).containsPattern("<td class=\"service\">demo/echo</td><td>" + gateId.replace(".", "\\.")
        + "</td><td>2/2 [^<]*</td><td class=\"num qps\">(?!0<)[0-9.]+</td>");
    Path screenshot = Path.of("target", "dashboard.png").toAbsolutePath();
    Files.deleteIfExists(screenshot);
    Chromium.run("--virtual-time-budget=5000", "--window-size=1280,900", "--screenshot=" + screenshot, url);
    assertThat(screenshot).exists();
    assertThat(Files.size(screenshot)).isGreaterThan(10_000);
  }

  @Test
  void withoutRolesOrBeforeTheyAreAllDeployedTheProcessIsNotReady() throws Exception {
    Vertx bare = Vertx.vertx();
    try {
      MeshMetrics metrics = MeshMetrics.of(bare);
      AdminServer starting = new AdminServer(bare, new AdminOptions().setPort(0), metrics, () -> false);
      starting.start().await(10, TimeUnit.SECONDS);
      HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + starting.port() + "/ready")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(ready.body()).getString("status")).isEqualTo("NOT_READY");
      HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + starting.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      HttpResponse<String> status = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + starting.port() + "/status")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(new JsonObject(status.body()).getJsonArray("gates")).isEmpty();
      HttpResponse<String> missing = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + starting.port() + "/nope")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(missing.statusCode()).isEqualTo(404);
    } finally {
      bare.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static JsonObject status() throws Exception {
    HttpResponse<String> response = get("/status");
    assertThat(response.statusCode()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  private static JsonObject gate(JsonObject status) {
    for (Object o : status.getJsonArray("gates")) {
      if (gateId.equals(((JsonObject) o).getString("id"))) {
        return (JsonObject) o;
      }
    }
    throw new AssertionError("no gate " + gateId + " in " + status.encodePrettily());
  }

  /** The internal gate's view of demo/echo, or {@code null} before it has one. */
  private static JsonObject echo(JsonObject status) {
    JsonArray services = gate(status).getJsonArray("services");
    for (Object o : services) {
      if ("demo/echo".equals(((JsonObject) o).getString("service"))) {
        return (JsonObject) o;
      }
    }
    return null;
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static int freePortUnchecked() {
    try {
      return freePort();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs a subcommand in this JVM and returns its exit code, stdout and stderr. */
  private static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = new picocli.CommandLine(new Weft()).execute(args);
      return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
  }

  /** Headless Chromium (scripts/test.sh installs it), in a profile of its own, stopped after each run. */
  static final class Chromium {

    static String run(String... args) throws Exception {
      Path profile = Files.createTempDirectory("weft-chromium");
      List<String> command = new ArrayList<>(List.of(binary(), "--headless", "--no-sandbox", "--disable-gpu",
          "--disable-background-networking", "--disable-dev-shm-usage", "--hide-scrollbars",
          "--user-data-dir=" + profile));
      command.addAll(List.of(args));
      Path output = Files.createTempFile("weft-chromium", ".out");
      Process process = new ProcessBuilder(command).redirectOutput(output.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      try {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("chromium finishes within 60 s").isTrue();
        return Files.readString(output);
      } finally {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        Files.deleteIfExists(output);
      }
    }

    static String binary() {
      for (String candidate : List.of(System.getProperty("weft.chromium", ""), "/usr/bin/chromium",
          "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
        if (!candidate.isEmpty() && Files.isExecutable(Path.of(candidate))) {
          return candidate;
        }
      }
      throw new AssertionError("headless Chromium is needed: run the tests with scripts/test.sh (it installs "
          + "Debian's chromium) or set -Dweft.chromium=/path/to/chromium");
    }
  }
}
