package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.ThreadingModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.core.discovery.RegistryOptions;
import io.weft.gate.GateOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MeshConfigTest {

  static JsonObject localJson() throws Exception {
    return new JsonObject(Files.readString(Path.of("..", "conf", "local.json")));
  }

  @Test
  void theLocalConfigRunsAnInternalGateTwoEchoInstancesAndARelayOnTheInJvmRegistry() throws Exception {
    MeshConfig config = new MeshConfig(localJson());
    assertThat(config.registry().getType()).isEqualTo(RegistryOptions.Type.LOCAL);
    assertThat(config.gates()).hasSize(2);
    GateOptions gate = config.gates().get(0);
    assertThat(gate.getMode()).isEqualTo(GateOptions.Mode.INTERNAL);
    assertThat(gate.getHost()).isEqualTo("127.0.0.1");
    assertThat(gate.getPort()).isEqualTo(7001);
    GateOptions external = config.gates().get(1);
    assertThat(external.getMode()).isEqualTo(GateOptions.Mode.EXTERNAL);
    assertThat(external.getPort()).isEqualTo(7000);
    assertThat(external.getAuth().signingKeyId()).as("the development key").isEqualTo("dev");
    assertThat(config.services()).hasSize(5);
    assertThat(config.services().get(0).replicas()).isEqualTo(2);
    assertThat(config.services().get(0).options().getServiceClass()).isEqualTo("io.weft.examples.echo.EchoService");
    assertThat(config.services().get(0).options().getRegistry().getType()).isEqualTo(RegistryOptions.Type.LOCAL);
    MeshConfig.ServiceRole relay = config.services().get(1);
    assertThat(relay.replicas()).isEqualTo(1);
    assertThat(relay.options().getServiceClass()).isEqualTo("io.weft.examples.relay.RelayService");
    assertThat(relay.options().getThreading()).isEqualTo(ThreadingModel.VIRTUAL_THREAD);
    assertThat(relay.options().getRegistry().getType()).isEqualTo(RegistryOptions.Type.LOCAL);
    // The demo page's services: one instance each (they keep their state in memory), without events.
    assertThat(config.services().subList(2, 5)).extracting(s -> s.options().getName())
        .containsExactly("chat", "friends", "leaderboard");
    assertThat(config.services().subList(2, 5)).allSatisfy(s -> assertThat(s.replicas()).isEqualTo(1));
    assertThat(config.services().get(2).options().getConfig().getBoolean("events")).isFalse();
    assertThat(config.services().get(4).options().getConfig().getBoolean("events")).isFalse();
    assertThat(external.getHttp().getWebRoot()).isEqualTo("weft-demo");
  }

  @Test
  void rolesInheritTheTopLevelRegistryUnlessTheySetTheirOwn() {
    JsonObject json = new JsonObject()
        .put("registry", new JsonObject().put("type", "etcd").put("endpoints", new JsonArray().add("http://e:2379")))
        .put("gates", new JsonArray().add(new JsonObject()).add(new JsonObject().put("registry", new JsonObject())));
    MeshConfig config = new MeshConfig(json);
    assertThat(config.gates().get(0).getRegistry().getEndpoints()).containsExactly("http://e:2379");
    assertThat(config.gates().get(1).getRegistry().getType()).isEqualTo(RegistryOptions.Type.LOCAL);
  }

  @Test
  void mistakesFailNamingTheKey() {
    assertThatThrownBy(() -> new MeshConfig(new JsonObject().put("gatez", new JsonArray())))
        .hasMessageContaining("gatez");
    assertThatThrownBy(() -> new MeshConfig(new JsonObject().put("gates", new JsonArray().add(new JsonObject().put("prot", 1)))))
        .hasMessageContaining("gates[0].prot");
    assertThatThrownBy(() -> new MeshConfig(new JsonObject().put("gates", new JsonArray().add(new JsonObject().put("port", -4)))))
        .hasMessageContaining("gates[0]").hasMessageContaining("port");
    assertThatThrownBy(() -> new MeshConfig(new JsonObject().put("services", new JsonArray().add(
        new JsonObject().put("namespace", "demo").put("name", "echo")))))
        .hasMessageContaining("services[0].class");
    assertThatThrownBy(() -> new MeshConfig(new JsonObject().put("services", new JsonArray().add(
        new JsonObject().put("class", "X").put("namespace", "demo").put("name", "echo").put("replicas", 0)))))
        .hasMessageContaining("services[0].replicas");
    assertThatThrownBy(() -> new MeshConfig(new JsonObject())).hasMessageContaining("no role");
    assertThatThrownBy(() -> new MeshConfig(new JsonObject().put("registry", new JsonObject().put("type", "dns"))
        .put("gates", new JsonArray().add(new JsonObject()))))
        .hasMessageContaining("registry.type");
  }

  @Test
  void environmentVariablesOverrideTheirPlaces() throws Exception {
    JsonObject merged = localJson()
        .put("WEFT_REGISTRY_TYPE", "etcd")
        .put("WEFT_REGISTRY_ENDPOINTS", "http://a:2379,http://b:2379")
        .put("WEFT_ADVERTISE_HOST", "10.1.2.3")
        .put("WEFT_GATE_PORT", "7101")
        .put("WEFT_SERVICE_PORT", "9100");
    MeshConfig config = new MeshConfig(EnvOverrides.apply(merged));
    assertThat(config.registry().getType()).isEqualTo(RegistryOptions.Type.ETCD);
    assertThat(config.registry().getEndpoints()).containsExactly("http://a:2379", "http://b:2379");
    assertThat(config.gates().get(0).getPort()).isEqualTo(7101);
    assertThat(config.gates().get(0).getAdvertiseHost()).isEqualTo("10.1.2.3");
    assertThat(config.services().get(0).options().getPort()).isEqualTo(9100);
    assertThat(config.services().get(0).options().getAdvertiseHost()).isEqualTo("10.1.2.3");
    assertThat(config.services().get(0).options().getRegistry().getType()).isEqualTo(RegistryOptions.Type.ETCD);
    assertThatThrownBy(() -> EnvOverrides.apply(localJson().put("WEFT_GATE_PORT", "seven")))
        .hasMessageContaining("WEFT_GATE_PORT");
  }

  @Test
  void everyShippedConfigPassesValidation() throws Exception {
    try (var files = Files.list(Path.of("..", "conf"))) {
      var configs = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
      assertThat(configs).extracting(f -> f.getFileName().toString()).contains("local.json", "bench.json");
      for (Path file : configs) {
        MeshConfig config = new MeshConfig(new JsonObject(Files.readString(file)));
        assertThat(config.gates().size() + config.services().size()).as(file.toString()).isPositive();
      }
    }
  }
}
