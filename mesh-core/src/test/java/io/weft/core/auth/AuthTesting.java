package io.weft.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.weft.core.Code;
import io.weft.core.MeshException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Secrets and assertions shared by the auth tests. */
final class AuthTesting {

  static final String SECRET_1 = secret("k1-0123456789abcdef0123456789abcdef");
  static final String SECRET_2 = secret("k2-fedcba9876543210fedcba9876543210");
  static final long T0 = 1_750_000_000_000L;

  private AuthTesting() {
  }

  static String secret(String thirtyTwoOrMoreChars) {
    return Base64.getEncoder().encodeToString(thirtyTwoOrMoreChars.getBytes(StandardCharsets.US_ASCII));
  }

  static AuthOptions oneKey() {
    return new AuthOptions().putKey("k1", SECRET_1);
  }

  /** The future failed with 16 and exactly {@code reason}. */
  static void assertRefused(Future<Principal> result, String reason) {
    assertRefused(result, Code.UNAUTHENTICATED, reason);
  }

  static void assertRefused(Future<Principal> result, Code code, String reason) {
    assertThat(result.failed()).as("refused: %s", reason).isTrue();
    assertThat(result.cause()).isInstanceOf(MeshException.class);
    MeshException e = (MeshException) result.cause();
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.getMessage()).isEqualTo(reason);
  }

  static Principal accepted(Future<Principal> result) {
    assertThat(result.succeeded()).as("accepted, but failed with %s", result.cause()).isTrue();
    return result.result();
  }
}
