package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The mesh of conf/local.json in this JVM (on a free port), driven by the weft subcommands. */
@ExtendWith(VertxExtension.class)
class LauncherIT {

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static int startLocalMesh(Vertx vertx) throws Exception {
    int port = freePort();
    JsonObject conf = MeshConfigTest.localJson();
    conf.getJsonArray("gates").getJsonObject(0).put("port", port);
    conf.getJsonObject("admin").put("port", 0);
    conf.getJsonObject("push").getJsonObject("store").put("dataDir", Files.createTempDirectory("weft-push").toString());
    vertx.deployVerticle(MeshVerticle.class.getName(), new DeploymentOptions().setConfig(conf)).await(20, TimeUnit.SECONDS);
    return port;
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
      int code = new CommandLine(new Weft()).execute(args);
      return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
  }

  @Test
  void callPrintsTheReplyAsJson(Vertx vertx) throws Exception {
    int port = startLocalMesh(vertx);
    String[] result = run("call", "--gate", "127.0.0.1:" + port, "echo.Echo", "{\"Text\":\"hi\"}");
    assertThat(result[0]).isEqualTo("0");
    assertThat(new JsonObject(result[1].trim())).isEqualTo(new JsonObject().put("Text", "hi"));
  }

  @Test
  void aFailedCallExitsNonZeroPrintingCodeAndError(Vertx vertx) throws Exception {
    int port = startLocalMesh(vertx);
    String[] failed = run("call", "--gate", "127.0.0.1:" + port, "echo.Fail", "{\"Message\":\"boom\"}");
    assertThat(failed[0]).isEqualTo("1");
    assertThat(failed[2]).contains("13").contains("INTERNAL").contains("boom");
    String[] unknown = run("call", "--gate", "127.0.0.1:" + port, "--namespace", "elsewhere", "echo.Echo");
    assertThat(unknown[0]).isEqualTo("1");
    assertThat(unknown[2]).contains("14").contains("UNAVAILABLE");
    String[] badArgs = run("call", "--gate", "127.0.0.1:" + port, "echo.Echo", "{not json");
    assertThat(badArgs[0]).isEqualTo("2");
    String[] badTarget = run("call", "--gate", "127.0.0.1:" + port, "Echo");
    assertThat(badTarget[0]).isEqualTo("2");
    String[] noGate = run("call", "--gate", "127.0.0.1:" + freePort(), "echo.Echo");
    assertThat(noGate[0]).isEqualTo("1");
    assertThat(noGate[2]).contains("14");
  }

  @Test
  void benchReportsThroughputAndPercentilesAsJson(Vertx vertx, @TempDir Path dir) throws Exception {
    int port = startLocalMesh(vertx);
    Path json = dir.resolve("bench.json");
    String[] result = run("bench", "--scenario", "c2s", "--gate", "127.0.0.1:" + port, "--connections", "2",
        "--inflight", "4", "--warmup", "1s", "--duration", "2s", "--json", json.toString());
    assertThat(result[0]).as(result[2]).isEqualTo("0");
    assertThat(result[1]).contains("result:").contains("calls/s");
    JsonObject report = new JsonObject(Files.readString(json));
    assertThat(report.getLong("calls")).isPositive();
    assertThat(report.getLong("throughput")).isPositive();
    assertThat(report.getJsonObject("latencyUs").getDouble("p99")).isPositive();
    assertThat(report.getJsonObject("errors")).isEmpty();
    assertThat(report.getInteger("connections")).isEqualTo(2);
    assertThat(report.getInteger("inflight")).isEqualTo(4);
  }

  @Test
  void benchS2sCallsTheRelayWhichCallsEchoAsyncByDefaultOrSync(Vertx vertx, @TempDir Path dir) throws Exception {
    int port = startLocalMesh(vertx);
    String[] relayed = run("call", "--gate", "127.0.0.1:" + port, "relay.Relay", "{\"Text\":\"via relay\"}");
    assertThat(relayed[0]).as(relayed[2]).isEqualTo("0");
    assertThat(new JsonObject(relayed[1].trim())).isEqualTo(new JsonObject().put("Text", "via relay"));
    for (String method : List.of("Relay", "RelayAsync")) {
      Path json = dir.resolve("s2s-" + method + ".json");
      List<String> args = new ArrayList<>(List.of("bench", "--scenario", "s2s", "--gate", "127.0.0.1:" + port,
          "--connections", "2", "--inflight", "4", "--warmup", "1s", "--duration", "1s", "--json", json.toString()));
      if (!method.equals("RelayAsync")) {
        // The service named explicitly: --service picks which one a run calls.
        args.addAll(List.of("--method", method, "--service", "relay"));
      }
      String[] result = run(args.toArray(String[]::new));
      assertThat(result[0]).as(result[2]).isEqualTo("0");
      JsonObject report = new JsonObject(Files.readString(json));
      assertThat(report.getString("scenario")).isEqualTo("s2s");
      assertThat(report.getString("call")).as("RelayAsync is the default").isEqualTo("relay." + method);
      assertThat(report.getLong("calls")).isPositive();
      assertThat(report.getJsonObject("errors")).isEmpty();
    }
    String[] badMethod = run("bench", "--scenario", "s2s", "--gate", "127.0.0.1:" + port, "--method", "Echo");
    assertThat(badMethod[0]).isEqualTo("2");
    assertThat(badMethod[2]).contains("--method").contains("RelayAsync");
  }

  @Test
  void aBadConfigFailsTheStartNamingTheKey(Vertx vertx) throws Exception {
    JsonObject conf = MeshConfigTest.localJson();
    conf.getJsonArray("gates").getJsonObject(0).put("mode", "sideways");
    assertThatThrownBy(() -> vertx.deployVerticle(MeshVerticle.class.getName(), new DeploymentOptions().setConfig(conf))
        .await(20, TimeUnit.SECONDS))
        .hasMessageContaining("gates[0]").hasMessageContaining("mode");
  }

  @Test
  void listenPrintsThePushesOfItsClientIdsAndRestoresSafeOnes(Vertx vertx) throws Exception {
    int port = startLocalMesh(vertx);
    io.weft.core.client.MeshClient caller = io.weft.core.client.MeshClient.connect(vertx,
        new io.weft.core.client.MeshClientOptions().setPort(port)).await(5, TimeUnit.SECONDS);
    java.util.Map<?, ?> stored = caller.call("demo", "echo", "PushMe",
        java.util.Map.of("ClientId", "listener", "Text", "stored", "Safe", true), java.util.Map.class)
        .await(10, TimeUnit.SECONDS);
    java.util.concurrent.CompletableFuture<String[]> listened = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> run("listen", "--gate", "127.0.0.1:" + port, "--count", "2", "listener"));
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
        Boolean.TRUE.equals(caller.call("demo", "echo", "PushMe", java.util.Map.of("ClientId", "listener", "Text", "live"),
            java.util.Map.class).await(5, TimeUnit.SECONDS).get("Delivered")));
    String[] result = listened.get(20, TimeUnit.SECONDS);
    assertThat(result[0]).as(result[2]).isEqualTo("0");
    // the restored push and the live one race: either may print first
    java.util.List<JsonObject> lines = java.util.Arrays.stream(result[1].trim().split("\n")).map(JsonObject::new).toList();
    assertThat(lines).hasSize(2).allSatisfy(line -> assertThat(line.getString("Method")).isEqualTo("Echoed"));
    assertThat(lines).extracting(line -> line.getJsonObject("Args").getString("Text")).containsExactlyInAnyOrder("stored", "live");
    assertThat(lines).filteredOn(line -> line.getJsonObject("Args").getString("Text").equals("stored"))
        .singleElement().satisfies(line -> assertThat(line.getString("PushId")).isEqualTo(stored.get("PushId")));
  }

  @Test
  void benchPushesToLoggedInClientsSafeAndUnsafe(Vertx vertx, @TempDir Path dir) throws Exception {
    int port = startLocalMesh(vertx);
    for (String scenario : new String[] {"push", "safe-push"}) {
      Path json = dir.resolve(scenario + ".json");
      String[] result = run("bench", "--scenario", scenario, "--gate", "127.0.0.1:" + port, "--connections", "2",
          "--clients-per-connection", "5", "--pushers", "1", "--inflight", "2", "--warmup", "1s", "--duration", "1s",
          "--json", json.toString());
      assertThat(result[0]).as(result[2]).isEqualTo("0");
      JsonObject report = new JsonObject(Files.readString(json));
      assertThat(report.getString("scenario")).isEqualTo(scenario);
      assertThat(report.getLong("calls")).as("pushes that arrived").isPositive();
      assertThat(report.getInteger("clientIds")).isEqualTo(10);
      assertThat(report.getJsonObject("errors")).isEmpty();
    }
    assertThat(run("bench", "--scenario", "fanout", "--gate", "127.0.0.1:" + port)[0]).isEqualTo("2");
  }

  @Test
  void benchMeasuresTheEchoLimitOpenLoopWithCpuPerCallAndReportsMedians(Vertx vertx, @TempDir Path dir) throws Exception {
    int echo = io.weft.launcher.impl.EchoServerCommand.start(vertx, "127.0.0.1", 0).await(5, TimeUnit.SECONDS);
    long self = ProcessHandle.current().pid();
    for (int round = 1; round <= 3; round++) {
      String[] result = run("bench", "--scenario", "echo", "--gate", "127.0.0.1:" + echo, "--connections", "2",
          "--rate", "400", "--warmup", "1s", "--duration", "1s", "--sut-pid", String.valueOf(self),
          "--label", "echo@open", "--json", dir.resolve("r" + round + ".json").toString());
      assertThat(result[0]).as(result[2]).isEqualTo("0");
    }
    JsonObject report = new JsonObject(Files.readString(dir.resolve("r1.json")));
    assertThat(report.getString("label")).isEqualTo("echo@open");
    assertThat(report.getDouble("rate")).isEqualTo(400.0);
    assertThat(report.getLong("throughput")).as("open loop keeps its rate").isBetween(300L, 500L);
    assertThat(report.getJsonObject("cpu").getDouble("sutCpuUsPerOp")).isPositive();
    assertThat(report.getJsonObject("cpu").containsKey("disturbed")).isTrue();
    assertThat(report.getJsonObject("cpu").getDouble("stealCpuSec")).isNotNegative();

    Path png = dir.resolve("chart.png");
    Path table = dir.resolve("table.md");
    String[] summary = run("bench-report", "--results", dir.toString(), "--markdown", table.toString(), "--png", png.toString());
    assertThat(summary[0]).as(summary[2]).isEqualTo("0");
    assertThat(Files.readString(table)).contains("| echo@open | 3 |");
    assertThat(png).exists();
    assertThat(Files.size(png)).isPositive();
  }
}
