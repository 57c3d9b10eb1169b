package io.weft.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class GateHttpOptionsTest {

  @Test
  void roundTripsThroughJson() {
    GateHttpOptions options = new GateHttpOptions().setHost("127.0.0.1").setPort(7080).setWebSocket(false)
        .setGateway(true).setMaxBodyBytes(4096).setWebRoot("weft-demo").setAllowedOrigins(List.of("https://app.example"))
        .setDevTokens(true);
    JsonObject json = options.toJson();
    assertThat(new GateHttpOptions(json).toJson()).isEqualTo(json);
    assertThat(new GateHttpOptions(new JsonObject()).toJson()).isEqualTo(new GateHttpOptions().toJson());
    GateOptions gate = new GateOptions().setHttp(options);
    assertThat(new GateOptions(gate.toJson()).getHttp().toJson()).isEqualTo(json);
    assertThat(new GateOptions().toJson().getValue("http")).isNull();
  }

  @Test
  void refusesUnknownKeysAndBadValuesNamingThem() {
    assertThatThrownBy(() -> new GateHttpOptions(new JsonObject().put("prot", 1)))
        .hasMessageContaining("unknown key http.prot");
    assertThatThrownBy(() -> new GateHttpOptions(new JsonObject().put("port", 70000)))
        .hasMessageContaining("http.port");
    assertThatThrownBy(() -> new GateHttpOptions(new JsonObject().put("maxBodyBytes", 0)))
        .hasMessageContaining("http.maxBodyBytes");
    assertThatThrownBy(() -> new GateHttpOptions(new JsonObject().put("webRoot", "../etc")))
        .hasMessageContaining("http.webRoot");
    assertThatThrownBy(() -> new GateHttpOptions(new JsonObject().put("allowedOrigins", new io.vertx.core.json.JsonArray()
        .add("app.example/path")))).hasMessageContaining("http.allowedOrigins");
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("http", "yes"))).hasMessageContaining("http must be");
  }
}
