package io.weft.core.conn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ConnectionOptionsTest {

  @Test
  void defaultsAreTheProtocols() {
    ConnectionOptions o = new ConnectionOptions();
    assertThat(o.getMaxFrameBytes()).isEqualTo(1024 * 1024);
    assertThat(o.getHeartbeatIdleMs()).isEqualTo(10_000);
    assertThat(o.getHeartbeatDeadMs()).isEqualTo(20_000);
    assertThat(o.getMaxPendingWriteBytes()).isPositive();
  }

  @Test
  void jsonRoundTrip() {
    ConnectionOptions o = new ConnectionOptions().setMaxFrameBytes(4096).setHeartbeat(100, 250)
        .setMaxPendingWriteBytes(1 << 20).setWriteHighWaterBytes(64 * 1024);
    JsonObject json = o.toJson();
    assertThat(new ConnectionOptions(json).toJson()).isEqualTo(json);
    assertThat(new ConnectionOptions(new JsonObject()).toJson()).isEqualTo(new ConnectionOptions().toJson());
    assertThat(new ConnectionOptions(o).toJson()).isEqualTo(json);
  }

  @Test
  void badValuesAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> new ConnectionOptions().setHeartbeat(200, 200))
        .hasMessageContaining("heartbeatDeadMs").hasMessageContaining("200");
    assertThatThrownBy(() -> new ConnectionOptions().setHeartbeat(0, 10)).hasMessageContaining("heartbeatIdleMs");
    assertThatThrownBy(() -> new ConnectionOptions().setMaxFrameBytes(0)).hasMessageContaining("maxFrameBytes");
    assertThatThrownBy(() -> new ConnectionOptions(new JsonObject().put("heartbeatIdleMs", 5000).put("heartbeatDeadMs", 1000)))
        .hasMessageContaining("heartbeatDeadMs");
    assertThatThrownBy(() -> new ConnectionOptions().setMaxPendingWriteBytes(10)).hasMessageContaining("maxPendingWriteBytes");
    assertThatThrownBy(() -> new ConnectionOptions().setWriteHighWaterBytes(10)).hasMessageContaining("writeHighWaterBytes");
    assertThat(new ConnectionOptions().setMaxPendingWriteBytes(64 * 1024).effectiveWriteHighWaterBytes())
        .as("never above half the drop limit").isEqualTo(32 * 1024);
  }
}
