package io.weft.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.weft.core.conn.ConnectionOptions;
import io.weft.core.lb.LoadBalancerType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateOptionsTest {

  @Test
  void jsonRoundTrip() {
    GateOptions o = new GateOptions().setMode(GateOptions.Mode.EXTERNAL).setHost("127.0.0.1").setPort(7000)
        .setAdvertiseHost("10.0.0.1").setInstances(2).setCallTimeoutMs(1000).setMaxCallTimeoutMs(5000).setTickMs(5)
        .setReconnect(50, 500).setLoadBalancer(LoadBalancerType.RANDOM)
        .setServiceLoadBalancers(Map.of("demo/echo", LoadBalancerType.ROUND_ROBIN))
        .setClientConnection(new ConnectionOptions().setHeartbeat(100, 300))
        .setServiceConnection(new ConnectionOptions().setMaxFrameBytes(2048));
    JsonObject json = o.toJson();
    assertThat(new GateOptions(json).toJson()).isEqualTo(json);
    assertThat(new GateOptions(o).toJson()).isEqualTo(json);
    assertThat(new GateOptions(new JsonObject()).toJson()).isEqualTo(new GateOptions().toJson());
    assertThat(new GateOptions(json).loadBalancerFor("demo/echo")).isEqualTo(LoadBalancerType.ROUND_ROBIN);
    assertThat(new GateOptions(json).loadBalancerFor("demo/other")).isEqualTo(LoadBalancerType.RANDOM);
  }

  @Test
  void badValuesAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("mode", "public"))).hasMessageContaining("mode");
    assertThatThrownBy(() -> new GateOptions().setPort(70000)).hasMessageContaining("port");
    assertThatThrownBy(() -> new GateOptions().setAdvertiseHost("0.0.0.0")).hasMessageContaining("advertiseHost");
    assertThatThrownBy(() -> new GateOptions().setInstances(0)).hasMessageContaining("instances");
    assertThatThrownBy(() -> new GateOptions().setReconnect(100, 50)).hasMessageContaining("reconnectMaxMs");
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("loadBalancer", "fastest"))).hasMessageContaining("fastest");
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("services", new JsonObject().put("demo/echo", 3))))
        .hasMessageContaining("services.demo/echo");
  }
}
