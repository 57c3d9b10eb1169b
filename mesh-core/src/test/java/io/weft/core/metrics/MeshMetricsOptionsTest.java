package io.weft.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeshMetricsOptionsTest {

  @Test
  void defaultsLeaveTheHotPathsVertxDomainsOff() {
    MeshMetricsOptions o = new MeshMetricsOptions();
    assertThat(o.getVelocityLogMs()).isEqualTo(10_000);
    assertThat(o.getSampleMs()).isEqualTo(1_000);
    assertThat(o.getWindowMs()).isEqualTo(5_000);
    assertThat(o.getTopSources()).isEqualTo(10);
    assertThat(o.isJvm()).isTrue();
    assertThat(o.getVertx()).containsExactly("HTTP_SERVER", "NAMED_POOLS", "VERTICLES")
        .doesNotContain("NET_SERVER", "NET_CLIENT", "EVENT_BUS");
    assertThat(new MeshMetricsOptions(new JsonObject()).toJson()).isEqualTo(o.toJson());
  }

  @Test
  void jsonRoundTripKeepsEveryValue() {
    MeshMetricsOptions o = new MeshMetricsOptions().setVelocityLogMs(0).setSampleMs(50).setWindowMs(200)
        .setTopSources(3).setJvm(false).setVertx(List.of("net_server", "EVENT_BUS"));
    JsonObject json = o.toJson();
    assertThat(json.getJsonArray("vertx")).isEqualTo(new JsonArray().add("NET_SERVER").add("EVENT_BUS"));
    assertThat(new MeshMetricsOptions(json).toJson()).isEqualTo(json);
    assertThat(new MeshMetricsOptions(o).toJson()).isEqualTo(json);
  }

  @Test
  void unknownKeysAndBadValuesAreRefusedNamingThem() {
    assertThatThrownBy(() -> new MeshMetricsOptions(new JsonObject().put("velocityLog", 5)))
        .hasMessageContaining("unknown key velocityLog");
    assertThatThrownBy(() -> new MeshMetricsOptions(new JsonObject().put("velocityLogMs", -1)))
        .hasMessageContaining("velocityLogMs");
    assertThatThrownBy(() -> new MeshMetricsOptions(new JsonObject().put("sampleMs", 0)))
        .hasMessageContaining("sampleMs");
    assertThatThrownBy(() -> new MeshMetricsOptions(new JsonObject().put("windowMs", 1_000_000)))
        .hasMessageContaining("windowMs");
    assertThatThrownBy(() -> new MeshMetricsOptions(new JsonObject().put("topSources", 1_001)))
        .hasMessageContaining("topSources");
    assertThatThrownBy(() -> new MeshMetricsOptions(new JsonObject().put("vertx", "NET_SERVER")))
        .hasMessageContaining("vertx");
    assertThatThrownBy(() -> new MeshMetricsOptions(new JsonObject().put("vertx", new JsonArray().add("DISKS"))))
        .hasMessageContaining("DISKS").hasMessageContaining("NET_SERVER");
  }
}
