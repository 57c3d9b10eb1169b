package io.weft.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.weft.core.conn.ConnectionOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeshClientOptionsTest {

  @Test
  void jsonRoundTrip() {
    MeshClientOptions o = new MeshClientOptions().setHost("gate.local").setPort(7000).setToken("t")
        .setClientLabel("ios").setCallTimeoutMs(1500).setConnectTimeoutMs(700).setTickMs(5)
        .setConnection(new ConnectionOptions().setHeartbeat(100, 300))
        .setTls(new io.weft.core.conn.TlsOptions().setCaFile("ca.crt").setVerifyHostname(false));
    JsonObject json = o.toJson();
    assertThat(new MeshClientOptions(json).toJson()).isEqualTo(json);
    assertThat(new MeshClientOptions(o).toJson()).isEqualTo(json);
    assertThat(new MeshClientOptions(new JsonObject()).toJson()).isEqualTo(new MeshClientOptions().toJson());
  }

  @Test
  void badValuesAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> new MeshClientOptions().setPort(0)).hasMessageContaining("port");
    assertThatThrownBy(() -> new MeshClientOptions().setHost(" ")).hasMessageContaining("host");
    assertThatThrownBy(() -> new MeshClientOptions().setCallTimeoutMs(0)).hasMessageContaining("callTimeoutMs");
    assertThatThrownBy(() -> new MeshClientOptions().setTickMs(0)).hasMessageContaining("tickMs");
  }

  @Test
  void callOptionsAreImmutableCopies() {
    CallOptions base = CallOptions.DEFAULT;
    CallOptions changed = base.withTimeoutMs(5).withOrderKey("k").withHashKey("h").withTags(Map.of("a", "b")).withTrace("t");
    assertThat(base).isEqualTo(new CallOptions(0, null, null, Map.of(), null));
    assertThat(changed).isEqualTo(new CallOptions(5, "k", "h", Map.of("a", "b"), "t"));
    assertThatThrownBy(() -> base.withTimeoutMs(-1)).hasMessageContaining("timeoutMs");
  }
}
