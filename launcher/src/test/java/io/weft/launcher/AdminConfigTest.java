package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The mesh config's {@code admin} and {@code metrics} sections. */
class AdminConfigTest {

  private static JsonObject gateOnly() {
    return new JsonObject().put("gates", new JsonArray().add(new JsonObject()));
  }

  @Test
  void adminOptionsRoundTripAndDefault() {
    AdminOptions defaults = new AdminOptions();
    assertThat(defaults.getHost()).isEqualTo("127.0.0.1");
    assertThat(defaults.getPort()).isEqualTo(7070);
    assertThat(defaults.getStatusTimeoutMs()).isEqualTo(2_000);
    assertThat(new AdminOptions(new JsonObject()).toJson()).isEqualTo(defaults.toJson());
    AdminOptions o = new AdminOptions().setHost("0.0.0.0").setPort(0).setStatusTimeoutMs(150);
    assertThat(new AdminOptions(o.toJson()).toJson()).isEqualTo(o.toJson());
    assertThat(new AdminOptions(o).toJson()).isEqualTo(o.toJson());
  }

  @Test
  void badAdminKeysAndValuesAreRefusedNamingThem() {
    assertThatThrownBy(() -> new MeshConfig(gateOnly().put("admin", new JsonObject().put("prot", 1))))
        .hasMessageContaining("admin").hasMessageContaining("prot");
    assertThatThrownBy(() -> new MeshConfig(gateOnly().put("admin", new JsonObject().put("port", 70000))))
        .hasMessageContaining("admin").hasMessageContaining("port");
    assertThatThrownBy(() -> new MeshConfig(gateOnly().put("admin", new JsonObject().put("host", " "))))
        .hasMessageContaining("host");
    assertThatThrownBy(() -> new MeshConfig(gateOnly().put("admin", new JsonObject().put("statusTimeoutMs", 0))))
        .hasMessageContaining("statusTimeoutMs");
    assertThatThrownBy(() -> new MeshConfig(gateOnly().put("admin", 7070))).hasMessageContaining("admin");
    assertThatThrownBy(() -> new MeshConfig(gateOnly().put("metrics", new JsonObject().put("sample", 5))))
        .hasMessageContaining("metrics").hasMessageContaining("sample");
  }

  @Test
  void noAdminSectionMeansNoAdminServerAndDefaultMetrics() {
    MeshConfig config = new MeshConfig(gateOnly());
    assertThat(config.admin()).isNull();
    assertThat(config.metrics().getVelocityLogMs()).isEqualTo(10_000);
    MeshConfig tuned = new MeshConfig(gateOnly().put("admin", new JsonObject().put("port", 0))
        .put("metrics", new JsonObject().put("velocityLogMs", 0).put("topSources", 2)));
    assertThat(tuned.admin().getPort()).isZero();
    assertThat(tuned.admin().getHost()).isEqualTo("127.0.0.1");
    assertThat(tuned.metrics().getVelocityLogMs()).isZero();
    assertThat(tuned.metrics().getTopSources()).isEqualTo(2);
  }

  @Test
  void theLocalConfigServesAdminOnLoopback7070() throws Exception {
    MeshConfig config = new MeshConfig(MeshConfigTest.localJson());
    assertThat(config.admin().getHost()).isEqualTo("127.0.0.1");
    assertThat(config.admin().getPort()).isEqualTo(7070);
  }

  @Test
  void theEnvironmentSetsTheAdminAddress() throws Exception {
    JsonObject merged = EnvOverrides.apply(gateOnly().put("WEFT_ADMIN_HOST", "0.0.0.0").put("WEFT_ADMIN_PORT", "9090"));
    MeshConfig config = new MeshConfig(merged);
    assertThat(config.admin().getHost()).isEqualTo("0.0.0.0");
    assertThat(config.admin().getPort()).isEqualTo(9090);
    assertThat(EnvOverrides.names()).contains("WEFT_ADMIN_HOST", "WEFT_ADMIN_PORT", "WEFT_GATE_PORT");
    assertThatThrownBy(() -> EnvOverrides.apply(gateOnly().put("WEFT_ADMIN_PORT", "x"))).hasMessageContaining("WEFT_ADMIN_PORT");
  }
}
