package io.weft.core.discovery.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.core.discovery.GateInstance;
import io.weft.core.discovery.ServiceInstance;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EtcdKeysTest {

  private static final ServiceInstance ECHO =
      new ServiceInstance("demo", "echo", null, "10.0.0.5", 9000, 3, Map.of("zone", "a"), "1.2", 42L);

  @Test
  void keysFollowTheProtocolLayout() {
    assertThat(EtcdKeys.service(ECHO)).isEqualTo("/weft/services/demo/echo/10.0.0.5:9000");
    assertThat(EtcdKeys.gate(new GateInstance(null, "10.0.0.6", 7001, null, 0L))).isEqualTo("/weft/gates/10.0.0.6:7001");
  }

  @Test
  void anInstanceReadsBackFromItsKeyAndJson() {
    assertThat(EtcdKeys.parseService(EtcdKeys.service(ECHO), ECHO.toJson().encode())).isEqualTo(ECHO);
  }

  @Test
  void namesThatWouldNotReadBackAreRefused() {
    ServiceInstance slashed = new ServiceInstance("demo", "a/b", null, "h", 1, 1, Map.of(), "", 0L);
    ServiceInstance empty = new ServiceInstance("", "echo", null, "h", 1, 1, Map.of(), "", 0L);
    assertThatThrownBy(() -> EtcdKeys.service(slashed)).hasMessageContaining("service").hasMessageContaining("a/b");
    assertThatThrownBy(() -> EtcdKeys.service(empty)).hasMessageContaining("namespace");
  }

  @Test
  void garbageIsRefusedWithTheReason() {
    String json = ECHO.toJson().encode();
    assertThatThrownBy(() -> EtcdKeys.parseService("/weft/services/demo/echo", json)).hasMessageContaining("key");
    assertThatThrownBy(() -> EtcdKeys.parseService("/weft/services/demo/echo/x/y", json)).hasMessageContaining("key");
    assertThatThrownBy(() -> EtcdKeys.parseService("/weft/services/demo//h:1", json)).hasMessageContaining("key");
    assertThatThrownBy(() -> EtcdKeys.parseService("/weft/services/demo/echo/h:1", "{"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON");
    assertThatThrownBy(() -> EtcdKeys.parseService("/weft/services/demo/echo/h:1", "{\"host\":\"h\",\"port\":0}"))
        .hasMessageContaining("port");
    assertThatThrownBy(() -> EtcdKeys.parseGate("[1]")).isInstanceOf(IllegalArgumentException.class);
  }
}
