package io.weft.core.auth;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.auth.impl.ReplayCache;
import io.weft.core.auth.impl.TokenChars;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signed tokens: signs them for issuers (and {@code weft token}), verifies them for
 * gates.
 * <pre>
 *   v1.&lt;kid&gt;.&lt;claims&gt;.&lt;mac&gt;
 *   |   |      |         |
 *   |   |      |         +-- base64url, unpadded (43 chars): HMAC-SHA256(secret of kid,
 *   |   |      |             the ASCII bytes of "v1.&lt;kid&gt;.&lt;claims&gt;")
 *   |   |      +-- base64url, unpadded, of a UTF-8 JSON object:
 *   |   |          {"sub": "alice",        subject, required, 1-256 printable characters
 *   |   |           "client": "mobile",    label bound to the token, optional, same rule
 *   |   |           "iat": 1750000000,     issued at, Unix seconds
 *   |   |           "exp": 1750003600,     expires at, Unix seconds, after iat
 *   |   |           "jti": "&lt;nonce&gt;"}       16-64 base64url characters (16 random bytes from sign())
 *   |   |          and any further claims, handed on in {@link Principal#claims()}
 *   |   +-- key id: 1-32 of A-Z a-z 0-9 _ -
 *   +-- format version
 * </pre>
 * Why not JWT: a JWT names its own algorithm, and verifiers that believed it ({@code alg: none},
 * an RSA public key used as an HMAC secret) are JWT's best-known failures; here the version fixes
 * the algorithm, so there is nothing to believe. The format is JWS's shape (base64url parts, the
 * MAC over everything before it, registered claim names), so any language with HMAC-SHA256, base64
 * and JSON issues these tokens in a few lines, and no library comes in. A service that must take
 * real JWTs plugs in its own {@link TokenVerifier}.
 * <p>
 * Verification checks, in this order, so that work and parsing grow only as the input earns it:
 * length, alphabet, shape, version, key id, MAC (compared in constant time by
 * {@link MessageDigest#isEqual}, over the canonical base64url text, so one MAC has one spelling);
 * only then is the claims JSON parsed, so unauthenticated bytes never reach the JSON parser. Then
 * expiry and issue time, each with {@code clockSkewMs} of tolerance, and last the nonce, so only a
 * token that is valid in every other way is remembered: a forged one must not be able to spend a
 * real token's nonce.
 * <p>
 * Replays: a nonce is refused while remembered, from its first use until the token expires (plus
 * the skew) or {@code replayWindowMs} has passed, whichever is first. A token that lives longer
 * than the window can therefore be used again after it; issue tokens no longer-lived than the
 * window for strict single use. The memory is this object's: share one instance among a gate's
 * event loops ({@link AuthOptions#newVerifier}); gates in other processes do not see each other's
 * nonces. Thread-safe.
 */
public final class HmacTokens implements TokenVerifier {

  public static final String VERSION = "v1";

  static final MeshException MISSING = failure("missing token");
  static final MeshException TOO_LONG = failure("token too long");
  static final MeshException MALFORMED = failure("malformed token");
  static final MeshException UNSUPPORTED_VERSION = failure("unsupported token version");
  static final MeshException UNKNOWN_KEY = failure("unknown key");
  static final MeshException BAD_SIGNATURE = failure("bad signature");
  static final MeshException EXPIRED = failure("token expired");
  static final MeshException NOT_YET_VALID = failure("token not yet valid");
  static final MeshException REPLAYED = failure("token replayed");
  static final MeshException BAD_LABEL = failure("bad client label");
  static final MeshException BUSY = MeshException.quiet(Code.RESOURCE_EXHAUSTED, "too many recent logins, retry later");

  private static final String ALGORITHM = "HmacSHA256";
  private static final int NONCE_BYTES = 16;
  private static final int MIN_NONCE_CHARS = 16;
  private static final int MAX_NONCE_CHARS = 64;
  private static final Duration MAX_TTL = Duration.ofDays(3650);
  private static final long SWEEP_INTERVAL_MS = 1_000;
  private static final Set<String> RESERVED_CLAIMS = Set.of("sub", "client", "iat", "exp", "jti");
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final Map<String, SecretKeySpec> keys;
  private final String signingKeyId;
  private final long clockSkewMs;
  private final long replayWindowMs;
  private final int maxTokenBytes;
  private final ReplayCache replays;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /** Reads the secrets now (environment included): a missing or short one fails here, at start. */
  public HmacTokens(AuthOptions options) {
    this(options, Clock.systemUTC());
  }

  public HmacTokens(AuthOptions options, Clock clock) {
    this(options, clock, System::getenv);
  }

  HmacTokens(AuthOptions options, Clock clock, Function<String, String> env) {
    options.validate();
    Map<String, SecretKeySpec> specs = new LinkedHashMap<>();
    options.resolveSecrets(env).forEach((id, secret) -> specs.put(id, new SecretKeySpec(secret, ALGORITHM)));
    this.keys = Map.copyOf(specs);
    this.signingKeyId = options.signingKeyId();
    this.clockSkewMs = options.getClockSkewMs();
    this.replayWindowMs = options.getReplayWindowMs();
    this.maxTokenBytes = options.getMaxTokenBytes();
    this.replays = replayWindowMs == 0 ? null : new ReplayCache(options.getReplayCacheSize(), SWEEP_INTERVAL_MS);
    this.clock = clock;
  }

  /** The key id {@link #sign} uses. */
  public String signingKeyId() {
    return signingKeyId;
  }

  /**
   * A token for {@code subject}, valid from now for {@code ttl} (whole seconds, at least one).
   *
   * @param label the label to bind, or {@code null} to let the client send its own
   */
  public String sign(String subject, String label, Duration ttl) {
    return sign(subject, label, ttl, new JsonObject());
  }

  /** As {@link #sign(String, String, Duration)}, with further claims (not the reserved ones). */
  public String sign(String subject, String label, Duration ttl, JsonObject extraClaims) {
    if (subject == null || !TokenChars.isPrintableName(subject)) {
      throw new IllegalArgumentException("subject must be 1-" + TokenChars.MAX_NAME_LENGTH
          + " printable characters, but was '" + subject + "'");
    }
    if (label != null && !TokenChars.isPrintableName(label)) {
      throw new IllegalArgumentException("label must be 1-" + TokenChars.MAX_NAME_LENGTH
          + " printable characters, but was '" + label + "'");
    }
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("ttl must be 1s.." + MAX_TTL.toDays() + " days, but was " + ttl);
    }
    for (String name : extraClaims.fieldNames()) {
      if (RESERVED_CLAIMS.contains(name)) {
        throw new IllegalArgumentException("claim '" + name + "' is set by sign() itself");
      }
    }
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    long iat = Math.floorDiv(clock.millis(), 1000);
    JsonObject claims = new JsonObject().put("sub", subject);
    if (label != null) {
      claims.put("client", label);
    }
    claims.put("iat", iat).put("exp", iat + ttl.toSeconds()).put("jti", BASE64URL.encodeToString(nonce));
    extraClaims.forEach(e -> claims.put(e.getKey(), e.getValue()));
    String signed = VERSION + "." + signingKeyId + "." + BASE64URL.encodeToString(claims.toBuffer().getBytes());
    String token = signed + "." + mac(keys.get(signingKeyId), signed);
    if (token.length() > maxTokenBytes) {
      throw new IllegalArgumentException("the token would be " + token.length() + " bytes, more than auth.maxTokenBytes ("
          + maxTokenBytes + ")");
    }
    return token;
  }

  @Override
  public Future<Principal> verify(String token, String clientLabel, SocketAddress remote) {
    try {
      return Future.succeededFuture(check(token, clientLabel));
    } catch (MeshException e) {
      return Future.failedFuture(e);
    } catch (RuntimeException e) {
      // Whatever slipped past the checks above (a JSON value of an odd type), it is the token's fault.
      return Future.failedFuture(MALFORMED);
    }
  }

  private Principal check(String token, String clientLabel) {
    if (token == null || token.isEmpty()) {
      throw MISSING;
    }
    if (token.length() > maxTokenBytes) {
      throw TOO_LONG;
    }
    if (!TokenChars.isTokenText(token)) {
      throw MALFORMED;
    }
    int dot1 = token.indexOf('.');
    int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    int dot3 = dot2 < 0 ? -1 : token.indexOf('.', dot2 + 1);
    if (dot3 < 0 || token.indexOf('.', dot3 + 1) >= 0) {
      throw MALFORMED;
    }
    if (!token.substring(0, dot1).equals(VERSION)) {
      throw UNSUPPORTED_VERSION;
    }
    String keyId = token.substring(dot1 + 1, dot2);
    SecretKeySpec key = keys.get(keyId);
    if (key == null) {
      throw UNKNOWN_KEY;
    }
    byte[] expected = mac(key, token.substring(0, dot3)).getBytes(StandardCharsets.US_ASCII);
    byte[] presented = token.substring(dot3 + 1).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, presented)) {
      throw BAD_SIGNATURE;
    }

    JsonObject claims;
    try {
      claims = new JsonObject(Buffer.buffer(Base64.getUrlDecoder().decode(token.substring(dot2 + 1, dot3))));
    } catch (RuntimeException e) {
      throw MALFORMED;
    }
    String subject = name(claims, "sub");
    String boundLabel = claims.getValue("client") == null ? null : name(claims, "client");
    long iat = seconds(claims, "iat");
    long exp = seconds(claims, "exp");
    Object nonce = claims.getValue("jti");
    if (exp <= iat || !(nonce instanceof String jti) || !TokenChars.isBase64Url(jti, MIN_NONCE_CHARS, MAX_NONCE_CHARS)) {
      throw MALFORMED;
    }
    if (clientLabel != null && !clientLabel.isEmpty() && !TokenChars.isPrintableName(clientLabel)) {
      throw BAD_LABEL;
    }

    long now = clock.millis();
    long acceptedUntil = exp * 1000 + clockSkewMs;
    if (now > acceptedUntil) {
      throw EXPIRED;
    }
    if (iat * 1000 > now + clockSkewMs) {
      throw NOT_YET_VALID;
    }
    if (replays != null) {
      switch (replays.record(jti, Math.min(acceptedUntil, now + replayWindowMs), now)) {
        case REPLAYED -> throw REPLAYED;
        case FULL -> throw BUSY;
        case FRESH -> { }
      }
    }
    return new Principal(subject, Principal.resolveLabel(boundLabel, clientLabel, subject),
        Instant.ofEpochSecond(exp), keyId, claims.getMap());
  }

  private static String name(JsonObject claims, String claim) {
    if (!(claims.getValue(claim) instanceof String s) || !TokenChars.isPrintableName(s)) {
      throw MALFORMED;
    }
    return s;
  }

  /** Unix seconds, bounded so that milliseconds cannot overflow (year 2^33 is far enough). */
  private static long seconds(JsonObject claims, String claim) {
    Object v = claims.getValue(claim);
    if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < 0
        || ((Number) v).longValue() > 1L << 40) {
      throw MALFORMED;
    }
    return ((Number) v).longValue();
  }

  private static String mac(SecretKeySpec key, String signed) {
    try {
      // A Mac is not thread-safe, and a token is checked once per connection: a fresh one is cheap enough.
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return BASE64URL.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " is missing from this JVM", e);
    }
  }

  private static MeshException failure(String reason) {
    // Shared and without a stack trace: a flood of bad tokens must cost no allocation to refuse.
    return MeshException.quiet(Code.UNAUTHENTICATED, reason);
  }
}
