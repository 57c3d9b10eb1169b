package io.weft.core.conn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class TlsOptionsTest {

  @Test
  void jsonRoundTrip() {
    TlsOptions o = new TlsOptions().setCertFile("a.crt").setKeyFile("a.key").setCaFile("ca.crt")
        .setClientAuth(TlsOptions.ClientCerts.REQUEST).setVerifyHostname(false).setHandshakeTimeoutMs(700);
    JsonObject json = o.toJson();
    assertThat(new TlsOptions(json).toJson()).isEqualTo(json);
    assertThat(new TlsOptions(o).toJson()).isEqualTo(json);
    assertThat(new TlsOptions(new JsonObject()).toJson()).isEqualTo(new TlsOptions().toJson());
    assertThat(TlsOptions.fromJson(null, "tls")).isNull();
  }

  @Test
  void clientAuthFollowsTheCaUnlessSet() {
    assertThat(new TlsOptions().effectiveClientAuth()).isEqualTo(TlsOptions.ClientCerts.NONE);
    assertThat(new TlsOptions().setCaFile("ca").effectiveClientAuth()).isEqualTo(TlsOptions.ClientCerts.REQUIRED);
    assertThat(new TlsOptions().setCaFile("ca").setClientAuth(TlsOptions.ClientCerts.NONE).effectiveClientAuth())
        .isEqualTo(TlsOptions.ClientCerts.NONE);
  }

  @Test
  void badValuesAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> new TlsOptions(new JsonObject().put("certfile", "x"))).hasMessageContaining("tls.certfile");
    assertThatThrownBy(() -> new TlsOptions(new JsonObject().put("clientAuth", "maybe"))).hasMessageContaining("tls.clientAuth");
    assertThatThrownBy(() -> new TlsOptions().setHandshakeTimeoutMs(0)).hasMessageContaining("handshakeTimeoutMs");
    assertThatThrownBy(() -> new TlsOptions().setCertFile("a").checkServer("tls")).hasMessageContaining("tls.keyFile");
    assertThatThrownBy(() -> new TlsOptions().setKeyFile("a").checkClient("serviceTls")).hasMessageContaining("serviceTls.certFile");
    assertThatThrownBy(() -> new TlsOptions().setCaFile("/nonexistent/ca.pem").checkFiles("tls"))
        .hasMessageContaining("tls.caFile").hasMessageContaining("/nonexistent/ca.pem");
    assertThatThrownBy(() -> TlsOptions.fromJson("yes", "serviceTls")).hasMessageContaining("serviceTls");
  }
}
