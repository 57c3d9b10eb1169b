package io.weft.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.client.MeshClient;
import io.weft.core.client.MeshClientOptions;
import io.weft.core.discovery.LocalServiceRegistry;
import io.weft.core.discovery.ServiceRegistry;
import io.weft.core.governance.DisabledRules.Rule;
import io.weft.examples.relay.RelayService;
import io.weft.service.ServiceHost;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runtime degradation on the in-JVM registry: switches written while the mesh runs disable a
 * method, a service, or either for some sources, at every gate within a second, and enabling
 * restores the calls.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class GateDegradationIT {

  /** The promise: a switch applies within a second of its write. */
  static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);

  record Text(String text) {
  }

  private MeshFixture mesh;
  private ServiceRegistry registry;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    mesh = new MeshFixture(vertx);
    registry = LocalServiceRegistry.get(vertx);
    mesh.startEcho();
    mesh.startGate();
    mesh.awaitRoutable(1);
  }

  /** The outcome of one call: "ok", or "<code>: <error>". */
  static String outcome(MeshClient client, String namespace, String service, String method) {
    try {
      Object args = method.equals("Sleep") ? Map.of("Ms", 1) : Map.of("Text", "x");
      client.call(namespace, service, method, args, Map.class).await(5, TimeUnit.SECONDS);
      return "ok";
    } catch (CompletionException e) {
      MeshException m = (MeshException) e.getCause();
      return m.code().value() + ": " + m.getMessage();
    } catch (MeshException m) {
      return m.code().value() + ": " + m.getMessage();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private String call(MeshClient client, String method) {
    return outcome(client, "demo", "echo", method);
  }

  private MeshClient client(String label) throws Exception {
    return MeshClient.connect(mesh.vertx, new MeshClientOptions().setPort(mesh.gate.actualPort())
        .setToken("any").setClientLabel(label)).await(5, TimeUnit.SECONDS);
  }

  private void disable(String target, String... sources) throws Exception {
    Rule rule = Rule.ofTarget(target, List.of(sources));
    registry.putConfig(rule.key(), rule.value()).await(1, TimeUnit.SECONDS);
  }

  private void enable(String target) throws Exception {
    registry.deleteConfig(Rule.ofTarget(target, List.of()).key()).await(1, TimeUnit.SECONDS);
  }

  @Test
  void aDisabledMethodIsAnswered14WithinASecondWhileTheOtherMethodsKeepWorking() throws Exception {
    MeshClient client = mesh.client();
    assertThat(call(client, "Sleep")).isEqualTo("ok");

    disable("demo/echo/Sleep");
    await().atMost(WITHIN_A_SECOND).pollInterval(Duration.ofMillis(20))
        .until(() -> call(client, "Sleep").equals("14: demo/echo.Sleep is disabled"));
    assertThat(call(client, "Echo")).isEqualTo("ok");
    assertThat(call(client, "Whoami")).isEqualTo("ok");

    enable("demo/echo/Sleep");
    await().atMost(WITHIN_A_SECOND).pollInterval(Duration.ofMillis(20)).until(() -> call(client, "Sleep").equals("ok"));
  }

  @Test
  void aDisabledServiceRefusesEveryMethodAndLeavesOtherServicesAlone() throws Exception {
    mesh.startEcho(MeshFixture.echoOptions().setName("echo2"));
    MeshClient client = mesh.client();
    await().atMost(Duration.ofSeconds(5)).until(() -> outcome(client, "demo", "echo2", "Echo").equals("ok"));

    disable("demo/echo");
    await().atMost(WITHIN_A_SECOND).pollInterval(Duration.ofMillis(20))
        .until(() -> call(client, "Echo").equals("14: demo/echo is disabled"));
    assertThat(call(client, "Whoami")).isEqualTo("14: demo/echo is disabled");
    assertThat(outcome(client, "demo", "echo2", "Echo")).isEqualTo("ok");

    enable("demo/echo");
    await().atMost(WITHIN_A_SECOND).pollInterval(Duration.ofMillis(20)).until(() -> call(client, "Echo").equals("ok"));
    assertThat(call(client, "Whoami")).isEqualTo("ok");
  }

  @Test
  void aSwitchForSomeSourcesRefusesOnlyTheirCalls() throws Exception {
    MeshClient mobile = client("mobile");
    MeshClient web = client("web");
    MeshClient unlabelled = mesh.client();

    disable("demo/echo/Echo", "mobile", "tv");
    await().atMost(WITHIN_A_SECOND).pollInterval(Duration.ofMillis(20))
        .until(() -> call(mobile, "Echo").equals("14: demo/echo.Echo is disabled for sources mobile, tv"));
    assertThat(call(web, "Echo")).isEqualTo("ok");
    assertThat(call(unlabelled, "Echo")).isEqualTo("ok");
    assertThat(call(mobile, "Whoami")).isEqualTo("ok");

    disable("demo/echo/Echo", "web"); // replaces the rule
    await().atMost(WITHIN_A_SECOND).pollInterval(Duration.ofMillis(20)).until(() -> call(mobile, "Echo").equals("ok"));
    assertThat(call(web, "Echo")).isEqualTo("14: demo/echo.Echo is disabled for source web");

    enable("demo/echo/Echo");
    await().atMost(WITHIN_A_SECOND).pollInterval(Duration.ofMillis(20)).until(() -> call(web, "Echo").equals("ok"));
  }

  @Test
  void aCallingServiceIsASourceByItsName() throws Exception {
    mesh.vertx.deployVerticle(new ServiceHost(MeshFixture.echoOptions().setName("relay"), RelayService::new))
        .await(10, TimeUnit.SECONDS);
    MeshClient client = mesh.client();
    await().atMost(Duration.ofSeconds(5)).until(() -> outcome(client, "demo", "relay", "RelayAsync").equals("ok"));

    disable("demo/echo", "demo/relay");
    await().atMost(WITHIN_A_SECOND).pollInterval(Duration.ofMillis(20)).until(() ->
        outcome(client, "demo", "relay", "RelayAsync").equals("14: demo/echo is disabled for source demo/relay"));
    assertThat(call(client, "Echo")).as("the client calling echo itself").isEqualTo("ok");
    enable("demo/echo");
  }

  @Test
  void aMalformedSwitchIsIgnoredAndTheOthersStillApply() throws Exception {
    MeshClient client = mesh.client();
    registry.putConfig("disabled/demo/echo/Echo", "{not json").await(1, TimeUnit.SECONDS);
    disable("demo/echo/Sleep");
    await().atMost(WITHIN_A_SECOND).pollInterval(Duration.ofMillis(20))
        .until(() -> call(client, "Sleep").startsWith("14: "));
    assertThat(call(client, "Echo")).isEqualTo("ok");
  }
}
