package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.DeleteOption;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.weft.core.test.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code weft disable}, {@code enable} and {@code disabled} against the test etcd, run in this JVM. */
@ExtendWith(VertxExtension.class)
class DegradeCommandsIT {

  /** A namespace of its own, so that tests sharing the etcd do not see each other. */
  private final String ns = "cli-" + UUID.randomUUID().toString().substring(0, 8);
  private String url;
  private Client etcd;

  @BeforeEach
  void connect() {
    url = TestServers.etcd();
    etcd = Client.builder().endpoints(url).build();
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

  private Optional<String> valueAt(String key) throws Exception {
    List<KeyValue> kvs = etcd.getKVClient().get(bytes(key)).get(5, TimeUnit.SECONDS).getKvs();
    return kvs.stream().findFirst().map(kv -> kv.getValue().toString(StandardCharsets.UTF_8));
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
  void disableWritesTheSwitchAndEnableDeletesIt() throws Exception {
    String[] disabled = run("disable", ns + "/echo/Sleep", "--sources", "web,mobile", "--etcd", url);
    assertThat(disabled[0]).as(disabled[2]).isEqualTo("0");
    String key = "/weft/config/disabled/" + ns + "/echo/Sleep";
    assertThat(valueAt(key)).contains("{\"sources\":[\"mobile\",\"web\"]}");
    assertThat(disabled[1]).contains("put " + key + " {\"sources\":[\"mobile\",\"web\"]}")
        .contains(ns + "/echo.Sleep is disabled for sources mobile, web");

    String[] service = run("disable", ns + "/echo", "--etcd", url);
    assertThat(service[0]).isEqualTo("0");
    assertThat(valueAt("/weft/config/disabled/" + ns + "/echo")).contains("{\"sources\":[]}");

    String[] listed = run("disabled", "--etcd", url);
    assertThat(listed[0]).isEqualTo("0");
    assertThat(listed[1]).containsPattern(ns + "/echo +every caller")
        .containsPattern(ns + "/echo\\.Sleep +sources mobile, web");

    String[] method = run("enable", ns + "/echo/Sleep", "--etcd", url);
    assertThat(method[0]).isEqualTo("0");
    assertThat(method[1]).contains("deleted " + key).contains(ns + "/echo.Sleep is enabled")
        .contains("note: " + ns + "/echo is still disabled as a whole");
    assertThat(valueAt(key)).isEmpty();
    assertThat(run("enable", ns + "/echo/Sleep", "--etcd", url)[1]).contains(ns + "/echo.Sleep was not disabled");

    run("disable", ns + "/echo/Echo", "--etcd", url);
    String[] whole = run("enable", ns + "/echo", "--etcd", url);
    assertThat(whole[1]).contains(ns + "/echo is enabled").contains("note: still disabled: Echo");
    String[] all = run("enable", ns + "/echo", "--all", "--etcd", url);
    assertThat(all[1]).contains("deleted /weft/config/disabled/" + ns + "/echo/Echo");
    assertThat(valueAt("/weft/config/disabled/" + ns + "/echo/Echo")).isEmpty();
  }

  @Test
  void theEtcdComesFromTheConfigsRegistry(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("gate.json");
    Files.writeString(conf, new JsonObject().put("registry", new JsonObject().put("type", "etcd").put("endpoints", url))
        .put("gates", new JsonArray().add(new JsonObject())).encode());
    String[] result = run("disable", ns + "/echo", "--config", conf.toString());
    assertThat(result[0]).as(result[2]).isEqualTo("0");
    assertThat(valueAt("/weft/config/disabled/" + ns + "/echo")).isPresent();

    Path local = dir.resolve("local.json");
    Files.writeString(local, new JsonObject().put("registry", new JsonObject().put("type", "local")).encode());
    String[] refused = run("disable", ns + "/echo", "--config", local.toString());
    assertThat(refused[0]).isEqualTo("2");
    assertThat(refused[2]).contains("in-JVM registry").contains("--etcd");
  }

  @Test
  void badTargetsAndAnUnreachableEtcdExitNonZeroWithAMessage() throws Exception {
    String[] noService = run("disable", "echo", "--etcd", url);
    assertThat(noService[0]).isEqualTo("2");
    assertThat(noService[2]).contains("weft disable").contains("<namespace>/<service>[/<method>]");
    assertThat(run("disable", ns + "//Sleep", "--etcd", url)[0]).isEqualTo("2");
    for (String sources : new String[] {",", "", "a,,b"}) {
      String[] empty = run("disable", ns + "/echo", "--sources", sources, "--etcd", url);
      assertThat(empty[0]).as(sources).isEqualTo("2");
      assertThat(empty[2]).as(sources).contains("source");
    }
    assertThat(valueAt("/weft/config/disabled/" + ns + "/echo")).isEmpty();
    assertThat(run("enable", ns + "/echo/Sleep", "--all", "--etcd", url)[2]).contains("--all");
    assertThat(run("disable", ns + "/echo", "--etcd", "not a url")[0]).isEqualTo("2");

    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String[] unreachable = run("disable", ns + "/echo", "--etcd", "http://127.0.0.1:" + closedPort);
    assertThat(unreachable[0]).isEqualTo("1");
    assertThat(unreachable[2]).contains("weft disable: etcd at http://127.0.0.1:" + closedPort + " failed");
  }

  @Test
  void aMeshOnEtcdAnswersTheDisabledMethod14(Vertx vertx) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    JsonObject conf = new JsonObject()
        .put("registry", new JsonObject().put("type", "etcd").put("endpoints", url))
        .put("gates", new JsonArray().add(new JsonObject().put("host", "127.0.0.1").put("port", port)))
        .put("services", new JsonArray().add(new JsonObject().put("class", "io.weft.examples.echo.EchoService")
            .put("namespace", ns).put("name", "echo").put("host", "127.0.0.1")));
    vertx.deployVerticle(MeshVerticle.class.getName(), new DeploymentOptions().setConfig(conf)).await(20, TimeUnit.SECONDS);
    String gate = "127.0.0.1:" + port;
    await().atMost(Duration.ofSeconds(5))
        .until(() -> run("call", "--gate", gate, "--namespace", ns, "echo.Echo", "{}")[0].equals("0"));

    assertThat(run("disable", ns + "/echo/Echo", "--etcd", url)[0]).isEqualTo("0");
    await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
      String[] refused = run("call", "--gate", gate, "--namespace", ns, "echo.Echo", "{}");
      assertThat(refused[0]).isEqualTo("1");
      assertThat(refused[2]).contains("error 14 UNAVAILABLE: " + ns + "/echo.Echo is disabled");
    });
    assertThat(run("call", "--gate", gate, "--namespace", ns, "echo.Whoami")[0]).isEqualTo("0");

    assertThat(run("enable", ns + "/echo/Echo", "--etcd", url)[0]).isEqualTo("0");
    await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
        .until(() -> run("call", "--gate", gate, "--namespace", ns, "echo.Echo", "{}")[0].equals("0"));
  }
}
