package io.weft.core.auth;

import static io.weft.core.auth.AuthTesting.SECRET_1;
import static io.weft.core.auth.AuthTesting.SECRET_2;
import static io.weft.core.auth.AuthTesting.T0;
import static io.weft.core.auth.AuthTesting.accepted;
import static io.weft.core.auth.AuthTesting.assertRefused;
import static io.weft.core.auth.AuthTesting.oneKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class HmacTokensTest {

  private final MutableClock clock = new MutableClock(T0);

  @Test
  void aSignedTokenVerifiesAndCarriesItsClaims() {
    HmacTokens tokens = new HmacTokens(oneKey(), clock);
    String token = tokens.sign("alice", null, Duration.ofMinutes(5), new JsonObject().put("roles", "player"));
    assertThat(token).startsWith("v1.k1.").matches("[A-Za-z0-9_.-]+");
    assertThat(token.split("\\.")).hasSize(4);
    assertThat(token.substring(token.lastIndexOf('.') + 1)).hasSize(43);

    Principal p = accepted(tokens.verify(token, "mobile", null));
    assertThat(p.subject()).isEqualTo("alice");
    assertThat(p.label()).as("no label bound: the one sent").isEqualTo("mobile");
    assertThat(p.keyId()).isEqualTo("k1");
    assertThat(p.expiresAt()).isEqualTo(Instant.ofEpochMilli(T0).plusSeconds(300));
    assertThat(p.claims()).containsEntry("sub", "alice").containsEntry("roles", "player").containsKeys("iat", "exp", "jti");
    assertThatThrownBy(() -> p.claims().put("sub", "mallory")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aLabelBoundInTheTokenWinsOverTheOneSent() {
    HmacTokens tokens = new HmacTokens(oneKey(), clock);
    assertThat(accepted(tokens.verify(tokens.sign("alice", "web", Duration.ofMinutes(1)), "admin-console", null)).label())
        .isEqualTo("web");
    assertThat(accepted(tokens.verify(tokens.sign("alice", "web", Duration.ofMinutes(1)))).label()).isEqualTo("web");
    assertThat(accepted(tokens.verify(tokens.sign("alice", null, Duration.ofMinutes(1)), "", null)).label())
        .as("neither bound nor sent: the subject").isEqualTo("alice");
  }

  @Test
  void aSentLabelThatCouldForgeLogLinesIsRefused() {
    HmacTokens tokens = new HmacTokens(oneKey(), clock);
    for (String label : new String[] {"a\nINFO forged", "a\u202Eb", "x".repeat(257), "a\u0000"}) {
      assertRefused(tokens.verify(tokens.sign("alice", null, Duration.ofMinutes(1)), label, null), "bad client label");
    }
    assertThat(accepted(tokens.verify(tokens.sign("alice", null, Duration.ofMinutes(1)), "jeu vidéo 🎮", null)).label())
        .isEqualTo("jeu vidéo 🎮");
    assertThatThrownBy(() -> tokens.sign("al\nice", null, Duration.ofMinutes(1))).hasMessageContaining("subject");
    assertThatThrownBy(() -> tokens.sign("alice", "", Duration.ofMinutes(1))).hasMessageContaining("label");
  }

  @Test
  void anExpiredTokenIsRefusedOnceTheSkewHasPassed() {
    HmacTokens tokens = new HmacTokens(oneKey().setClockSkewMs(2_000), clock);
    String a = tokens.sign("alice", null, Duration.ofSeconds(10));
    String b = tokens.sign("alice", null, Duration.ofSeconds(10));
    clock.advance(Duration.ofMillis(12_000));
    accepted(tokens.verify(a));
    clock.advance(Duration.ofMillis(1));
    assertRefused(tokens.verify(b), "token expired");
  }

  @Test
  void aTokenIssuedInTheFutureBeyondTheSkewIsRefused() {
    MutableClock issuerClock = new MutableClock(T0 + 5_000);
    HmacTokens issuer = new HmacTokens(oneKey(), issuerClock);
    HmacTokens gate = new HmacTokens(oneKey().setClockSkewMs(2_000), clock);
    assertRefused(gate.verify(issuer.sign("alice", null, Duration.ofMinutes(1))), "token not yet valid");
    clock.advance(Duration.ofMillis(3_000));
    accepted(gate.verify(issuer.sign("alice", null, Duration.ofMinutes(1))));
  }

  @Test
  void flippingAnyBitOfTheMacOrTheClaimsBreaksTheSignature() {
    HmacTokens tokens = new HmacTokens(oneKey(), clock);
    String token = tokens.sign("alice", null, Duration.ofMinutes(1));
    int lastDot = token.lastIndexOf('.');
    int claimsDot = token.lastIndexOf('.', lastDot - 1);
    byte[] mac = Base64.getUrlDecoder().decode(token.substring(lastDot + 1));
    byte[] claims = Base64.getUrlDecoder().decode(token.substring(claimsDot + 1, lastDot));
    for (int bit = 0; bit < mac.length * 8; bit += 7) {
      byte[] flipped = mac.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      assertRefused(tokens.verify(token.substring(0, lastDot + 1) + b64(flipped)), "bad signature");
    }
    for (int bit = 0; bit < claims.length * 8; bit += 5) {
      byte[] flipped = claims.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      assertRefused(tokens.verify(token.substring(0, claimsDot + 1) + b64(flipped) + token.substring(lastDot)),
          "bad signature");
    }
    // The 43rd character carries 2 unused bits: another spelling of the same MAC is still refused.
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    int sextet = alphabet.indexOf(token.charAt(token.length() - 1));
    String respelt = token.substring(0, token.length() - 1) + alphabet.charAt(sextet ^ 1);
    assertThat(Base64.getUrlDecoder().decode(respelt.substring(lastDot + 1))).isEqualTo(mac);
    assertRefused(tokens.verify(respelt), "bad signature");
    accepted(tokens.verify(token));
  }

  @Test
  void aKeyIdSwappedOrUnknownIsRefused() {
    AuthOptions both = new AuthOptions().putKey("k1", SECRET_1).putKey("k2", SECRET_2).setSigningKey("k1");
    HmacTokens tokens = new HmacTokens(both, clock);
    String token = tokens.sign("alice", null, Duration.ofMinutes(1));
    assertRefused(tokens.verify(token.replaceFirst("^v1\\.k1\\.", "v1.k2.")), "bad signature");
    assertRefused(tokens.verify(token.replaceFirst("^v1\\.k1\\.", "v1.k3.")), "unknown key");
    assertRefused(tokens.verify(token.replaceFirst("^v1\\.k1\\.", "v1..")), "unknown key");
  }

  @Test
  void truncatedGarbageAndOversizeTokensAreRefusedBeforeAnyMacIsComputed() {
    HmacTokens tokens = new HmacTokens(oneKey(), clock);
    String token = tokens.sign("alice", null, Duration.ofMinutes(1));
    for (int cut = 1; cut < token.length(); cut += 3) {
      assertThat(tokens.verify(token.substring(0, cut)).failed()).as("cut at %d", cut).isTrue();
    }
    assertRefused(tokens.verify(token.substring(0, token.lastIndexOf('.'))), "malformed token");
    assertRefused(tokens.verify(token.substring(0, token.length() - 1)), "bad signature");
    assertRefused(tokens.verify(null), "missing token");
    assertRefused(tokens.verify(""), "missing token");
    assertRefused(tokens.verify("not a token"), "malformed token");
    assertRefused(tokens.verify("v1.k1.e30=.abc"), "malformed token");
    assertRefused(tokens.verify(token + ".extra"), "malformed token");
    assertRefused(tokens.verify("v1.k1.\u00e9.x"), "malformed token");
    assertRefused(tokens.verify("...."), "malformed token");
    assertRefused(tokens.verify("x".repeat(AuthOptions.DEFAULT_MAX_TOKEN_BYTES + 1)), "token too long");
    HmacTokens small = new HmacTokens(oneKey().setMaxTokenBytes(256), clock);
    assertThatThrownBy(() -> small.sign("a".repeat(256), "b".repeat(100), Duration.ofMinutes(1)))
        .hasMessageContaining("maxTokenBytes");
  }

  @Test
  void anotherVersionIsRefusedAsSuch() {
    HmacTokens tokens = new HmacTokens(oneKey(), clock);
    String token = tokens.sign("alice", null, Duration.ofMinutes(1));
    assertRefused(tokens.verify("v2" + token.substring(2)), "unsupported token version");
    assertRefused(tokens.verify("V1" + token.substring(2)), "unsupported token version");
  }

  @Test
  void claimsThatAreSignedButMalformedAreRefused() {
    // What a buggy issuer could send: a valid MAC over claims the verifier must still not trust.
    HmacTokens tokens = new HmacTokens(oneKey(), clock);
    long now = T0 / 1000;
    String nonce = "AAAAAAAAAAAAAAAAAAAAAA";
    JsonObject good = new JsonObject().put("sub", "alice").put("iat", now).put("exp", now + 60).put("jti", nonce);
    accepted(tokens.verify(signRaw(good.encode())));
    assertRefused(tokens.verify(signRaw("[1,2]")), "malformed token");
    assertRefused(tokens.verify(signRaw("{\"sub\":")), "malformed token");
    JsonObject noSubject = good.copy();
    noSubject.remove("sub");
    assertRefused(tokens.verify(signRaw(noSubject.encode())), "malformed token");
    assertRefused(tokens.verify(signRaw(good.copy().put("sub", 7).encode())), "malformed token");
    assertRefused(tokens.verify(signRaw(good.copy().put("sub", "").encode())), "malformed token");
    assertRefused(tokens.verify(signRaw(good.copy().put("exp", "soon").encode())), "malformed token");
    assertRefused(tokens.verify(signRaw(good.copy().put("exp", now).encode())), "malformed token");
    assertRefused(tokens.verify(signRaw(good.copy().put("exp", 1e30).encode())), "malformed token");
    assertRefused(tokens.verify(signRaw(good.copy().put("jti", "short").encode())), "malformed token");
    assertRefused(tokens.verify(signRaw(good.copy().put("client", "a\nb").encode())), "malformed token");
  }

  @Test
  void rotationAcceptsEveryConfiguredKeyAndRefusesARemovedOne() {
    AuthOptions before = new AuthOptions().putKey("old", SECRET_1);
    String oldToken = new HmacTokens(before, clock).sign("alice", null, Duration.ofMinutes(10));
    String oldToken2 = new HmacTokens(before, clock).sign("alice", null, Duration.ofMinutes(10));

    AuthOptions during = new AuthOptions(before).putKey("new", SECRET_2).setSigningKey("new");
    HmacTokens rotating = new HmacTokens(during, clock);
    String newToken = rotating.sign("bob", null, Duration.ofMinutes(10));
    assertThat(newToken).startsWith("v1.new.");
    assertThat(accepted(rotating.verify(oldToken)).keyId()).isEqualTo("old");
    assertThat(accepted(rotating.verify(newToken)).keyId()).isEqualTo("new");

    HmacTokens after = new HmacTokens(new AuthOptions().putKey("new", SECRET_2), clock);
    assertRefused(after.verify(oldToken2), "unknown key");
    accepted(after.verify(rotating.sign("carol", null, Duration.ofMinutes(10))));
  }

  @Test
  void secretsFromTheEnvironmentAreReadAtConstruction() {
    AuthOptions options = new AuthOptions().putKey("k1", "env:WEFT_TEST_AUTH_K1");
    HmacTokens fromEnv = new HmacTokens(options, clock, name -> name.equals("WEFT_TEST_AUTH_K1") ? SECRET_1 : null);
    accepted(new HmacTokens(oneKey(), clock).verify(fromEnv.sign("alice", null, Duration.ofMinutes(1))));
    assertThatThrownBy(() -> new HmacTokens(options, clock, name -> null))
        .hasMessageContaining("auth.keys.k1").hasMessageContaining("WEFT_TEST_AUTH_K1").hasMessageContaining("not set");
    assertThatThrownBy(() -> new HmacTokens(options, clock, name -> AuthTesting.secret("too short")))
        .hasMessageContaining("auth.keys.k1").hasMessageContaining("at least 32 bytes")
        .hasMessageNotContaining(AuthTesting.secret("too short"));
  }

  private String signRaw(String claimsJson) {
    String signed = "v1.k1." + b64(claimsJson.getBytes(StandardCharsets.UTF_8));
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(Base64.getDecoder().decode(SECRET_1), "HmacSHA256"));
      return signed + "." + b64(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
