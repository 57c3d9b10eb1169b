package io.weft.core.auth;

import static io.weft.core.auth.AuthTesting.SECRET_1;
import static io.weft.core.auth.AuthTesting.SECRET_2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthOptionsTest {

  private static JsonObject section() {
    return new JsonObject().put("keys", new JsonObject().put("k1", SECRET_1).put("k2", SECRET_2)).put("signingKey", "k2");
  }

  @Test
  void defaultsAreSafe() {
    AuthOptions o = new AuthOptions();
    assertThat(o.getVerifier()).isEqualTo("hmac");
    assertThat(o.getKeys()).isEmpty();
    assertThat(o.getClockSkewMs()).isEqualTo(30_000);
    assertThat(o.getReplayWindowMs()).isEqualTo(600_000);
    assertThat(o.getReplayCacheSize()).isEqualTo(100_000);
    assertThat(o.getMaxTokenBytes()).isEqualTo(2048);
  }

  @Test
  void jsonRoundTrip() {
    AuthOptions o = new AuthOptions(section().put("clockSkewMs", 5_000).put("replayWindowMs", 120_000)
        .put("replayCacheSize", 5_000).put("maxTokenBytes", 1024));
    JsonObject json = o.toJson();
    assertThat(json.getJsonObject("keys").getMap()).containsExactly(Map.entry("k1", SECRET_1), Map.entry("k2", SECRET_2));
    assertThat(json.getString("signingKey")).isEqualTo("k2");
    assertThat(new AuthOptions(json).toJson()).isEqualTo(json);
    assertThat(new AuthOptions(o).toJson()).isEqualTo(json);
    JsonObject minimal = new JsonObject().put("keys", new JsonObject().put("k1", "env:WEFT_AUTH_K1"));
    AuthOptions fromMinimal = new AuthOptions(minimal);
    assertThat(fromMinimal.signingKeyId()).as("the only key signs").isEqualTo("k1");
    assertThat(fromMinimal.toJson()).isEqualTo(new AuthOptions().putKey("k1", "env:WEFT_AUTH_K1").toJson());
    assertThat(new AuthOptions(fromMinimal.toJson()).toJson()).isEqualTo(fromMinimal.toJson());
  }

  @Test
  void toStringHidesTheSecrets() {
    String text = new AuthOptions(section().put("keys", section().getJsonObject("keys").put("k3", "env:K3"))).toString();
    assertThat(text).doesNotContain(SECRET_1).doesNotContain(SECRET_2).contains("k1").contains("***").contains("env:K3");
  }

  @Test
  void aShortOrBadSecretIsRefusedNamingTheKeyNotTheSecret() {
    String shortSecret = AuthTesting.secret("thirty-one bytes, one too few!!");
    assertThatThrownBy(() -> new AuthOptions().putKey("k1", shortSecret))
        .hasMessageContaining("auth.keys.k1").hasMessageContaining("32 bytes").hasMessageContaining("31")
        .hasMessageNotContaining(shortSecret);
    assertThatThrownBy(() -> new AuthOptions(section().put("keys", new JsonObject().put("dev", "not base64!"))))
        .hasMessageContaining("auth.keys.dev").hasMessageContaining("base64").hasMessageNotContaining("not base64!");
    assertThatThrownBy(() -> new AuthOptions(section().put("keys", new JsonObject().put("dev", 42))))
        .hasMessageContaining("auth.keys.dev");
    assertThatThrownBy(() -> new AuthOptions().putKey("k1", "env:not-a-name")).hasMessageContaining("auth.keys.k1");
    assertThatThrownBy(() -> new AuthOptions().putKey("a.b", SECRET_1)).hasMessageContaining("key id");
    assertThatThrownBy(() -> new AuthOptions().putKey("k".repeat(33), SECRET_1)).hasMessageContaining("key id");
    assertThat(new AuthOptions().putKey("url-safe", SECRET_1.replace('+', '-').replace('/', '_').replace("=", ""))
        .getKeys()).containsKey("url-safe");
  }

  @Test
  void theSigningKeyMustBeOneOfTheKeys() {
    assertThatThrownBy(() -> new AuthOptions(section().put("signingKey", "k9")))
        .hasMessageContaining("auth.signingKey").hasMessageContaining("k9").hasMessageContaining("[k1, k2]");
    JsonObject noSigningKey = section();
    noSigningKey.remove("signingKey");
    assertThatThrownBy(() -> new AuthOptions(noSigningKey))
        .hasMessageContaining("auth.signingKey").hasMessageContaining("several");
    AuthOptions removed = new AuthOptions(section()).setKeys(Map.of("k1", SECRET_1));
    assertThatThrownBy(() -> new HmacTokens(removed)).hasMessageContaining("auth.signingKey");
    assertThatThrownBy(() -> new HmacTokens(new AuthOptions())).hasMessageContaining("auth.keys");
  }

  @Test
  void badValuesAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> new AuthOptions(new JsonObject())).hasMessageContaining("auth.keys");
    assertThatThrownBy(() -> new AuthOptions(section().put("replayWindowMS", 1000)))
        .hasMessageContaining("unknown key auth.replayWindowMS").hasMessageContaining("replayWindowMs");
    assertThatThrownBy(() -> new AuthOptions(section().put("verifier", "jwt"))).hasMessageContaining("auth.verifier");
    assertThatThrownBy(() -> new AuthOptions(section().put("clockSkewMs", "30s"))).hasMessageContaining("auth.clockSkewMs");
    assertThatThrownBy(() -> new AuthOptions().setClockSkewMs(-1)).hasMessageContaining("auth.clockSkewMs");
    assertThatThrownBy(() -> new AuthOptions().setClockSkewMs(600_000)).hasMessageContaining("auth.clockSkewMs");
    assertThatThrownBy(() -> new AuthOptions().setReplayWindowMs(10)).hasMessageContaining("auth.replayWindowMs");
    assertThatThrownBy(() -> new AuthOptions().setReplayCacheSize(0)).hasMessageContaining("auth.replayCacheSize");
    assertThatThrownBy(() -> new AuthOptions(section().put("replayCacheSize", 1L << 40)))
        .hasMessageContaining("auth.replayCacheSize");
    assertThatThrownBy(() -> new AuthOptions().setMaxTokenBytes(100)).hasMessageContaining("auth.maxTokenBytes");
    assertThat(new AuthOptions().setReplayWindowMs(0).getReplayWindowMs()).as("0 turns replay refusal off").isZero();
  }

  @Test
  void newVerifierBuildsTheHmacVerifier() {
    Vertx vertx = Vertx.vertx();
    try {
      AuthOptions options = new AuthOptions(section());
      TokenVerifier verifier = options.newVerifier(vertx);
      assertThat(verifier).isInstanceOf(HmacTokens.class);
      String token = new HmacTokens(options).sign("alice", null, Duration.ofMinutes(1));
      assertThat(token).startsWith("v1.k2.");
      assertThat(verifier.verify(token).result().subject()).isEqualTo("alice");
    } finally {
      vertx.close();
    }
  }
}
