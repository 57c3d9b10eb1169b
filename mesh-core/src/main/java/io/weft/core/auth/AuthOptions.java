package io.weft.core.auth;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.weft.core.auth.impl.Secrets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How a gate checks the token of {@code MSG_C2G_AUTH}:
 * <pre>{@code
 * "auth": {"verifier": "hmac",
 *          "keys": {"2025-06": "<base64 of >= 32 random bytes>", "2025-01": "env:WEFT_AUTH_KEY_OLD"},
 *          "signingKey": "2025-06",
 *          "clockSkewMs": 30000, "replayWindowMs": 600000, "replayCacheSize": 100000, "maxTokenBytes": 2048}
 * }</pre>
 * {@code keys} maps key ids to secrets, each base64 in the config or {@code env:NAME} to read it
 * from an environment variable; every key listed is accepted, so a key is rotated by adding the new
 * one, moving {@code signingKey} to it, and removing the old one once its tokens have expired.
 * {@code signingKey} may be left out when there is one key. Secrets shorter than 32 bytes are
 * refused.
 * <p>
 * {@code clockSkewMs} is how far the issuer's clock may be off from the gate's: a token is still
 * accepted that long after its expiry, and that long before its issue time. {@code replayWindowMs}
 * bounds how long a token's nonce is remembered (never past the token's expiry); 0 turns replay
 * refusal off, for deployments whose tokens are reused on reconnect. {@code replayCacheSize} caps
 * how many nonces are remembered; at the cap new tokens are refused (see
 * {@link io.weft.core.auth.impl.ReplayCache}). {@code maxTokenBytes} bounds what is read at all.
 * <p>
 * {@code verifier} is {@code "hmac"}, the one scheme built in; other {@link TokenVerifier}s are
 * plugged in in code. Unknown keys in the section are refused, as a misspelt security setting
 * must not silently fall back to its default. {@link #toJson()} holds the secrets as configured
 * (literal or reference); {@link #toString()} does not.
 */
public class AuthOptions {

  public static final String VERIFIER_HMAC = "hmac";
  public static final String DEFAULT_VERIFIER = VERIFIER_HMAC;
  public static final long DEFAULT_CLOCK_SKEW_MS = 30_000;
  public static final long MAX_CLOCK_SKEW_MS = 300_000;
  public static final long DEFAULT_REPLAY_WINDOW_MS = 600_000;
  public static final long MIN_REPLAY_WINDOW_MS = 1_000;
  public static final long MAX_REPLAY_WINDOW_MS = 86_400_000;
  public static final int DEFAULT_REPLAY_CACHE_SIZE = 100_000;
  public static final int MAX_REPLAY_CACHE_SIZE = 10_000_000;
  public static final int DEFAULT_MAX_TOKEN_BYTES = 2048;
  public static final int MIN_MAX_TOKEN_BYTES = 256;
  public static final int MAX_MAX_TOKEN_BYTES = 65_536;

  /** Key ids travel in tokens and logs: short, and nothing that needs escaping. */
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
  private static final Set<String> KNOWN_KEYS = Set.of("verifier", "keys", "signingKey", "clockSkewMs",
      "replayWindowMs", "replayCacheSize", "maxTokenBytes");

  private String verifier = DEFAULT_VERIFIER;
  private Map<String, String> keys = Map.of();
  private String signingKey;
  private long clockSkewMs = DEFAULT_CLOCK_SKEW_MS;
  private long replayWindowMs = DEFAULT_REPLAY_WINDOW_MS;
  private int replayCacheSize = DEFAULT_REPLAY_CACHE_SIZE;
  private int maxTokenBytes = DEFAULT_MAX_TOKEN_BYTES;

  public AuthOptions() {
  }

  public AuthOptions(AuthOptions other) {
    this.verifier = other.verifier;
    this.keys = other.keys;
    this.signingKey = other.signingKey;
    this.clockSkewMs = other.clockSkewMs;
    this.replayWindowMs = other.replayWindowMs;
    this.replayCacheSize = other.replayCacheSize;
    this.maxTokenBytes = other.maxTokenBytes;
  }

  /** Reads an {@code auth} section; it must hold at least one key. */
  public AuthOptions(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!KNOWN_KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key auth." + key + "; known keys: " + new TreeSet<>(KNOWN_KEYS));
      }
    }
    setVerifier(string(json, "verifier", DEFAULT_VERIFIER));
    Object keysValue = json.getValue("keys");
    if (!(keysValue instanceof JsonObject keysJson)) {
      throw new IllegalArgumentException("auth.keys must be an object of key id -> base64 secret (or env:NAME)");
    }
    Map<String, String> parsed = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : keysJson) {
      if (!(e.getValue() instanceof String secret)) {
        throw new IllegalArgumentException("auth.keys." + e.getKey() + " must be a base64 string or env:NAME");
      }
      parsed.put(e.getKey(), secret);
    }
    setKeys(parsed);
    setSigningKey(string(json, "signingKey", null));
    setClockSkewMs(number(json, "clockSkewMs", DEFAULT_CLOCK_SKEW_MS));
    setReplayWindowMs(number(json, "replayWindowMs", DEFAULT_REPLAY_WINDOW_MS));
    setReplayCacheSize(clampToInt(number(json, "replayCacheSize", DEFAULT_REPLAY_CACHE_SIZE)));
    setMaxTokenBytes(clampToInt(number(json, "maxTokenBytes", DEFAULT_MAX_TOKEN_BYTES)));
    validate();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("verifier", verifier)
        .put("keys", new JsonObject(new LinkedHashMap<>(keys)));
    if (signingKey != null) {
      json.put("signingKey", signingKey);
    }
    return json.put("clockSkewMs", clockSkewMs)
        .put("replayWindowMs", replayWindowMs)
        .put("replayCacheSize", replayCacheSize)
        .put("maxTokenBytes", maxTokenBytes);
  }

  /** The options with every secret literal replaced by {@code "***"}: safe to log. */
  @Override
  public String toString() {
    JsonObject json = toJson();
    JsonObject redacted = new JsonObject();
    keys.forEach((id, secret) -> redacted.put(id, Secrets.isEnvReference(secret) ? secret : "***"));
    return "AuthOptions" + json.put("keys", redacted).encode();
  }

  /**
   * The verifier these options describe. {@code vertx} is for schemes that do I/O (a call to an
   * auth service); HMAC needs none. One verifier is meant to be shared by every event loop of a
   * gate: replays are refused only among the tokens one verifier has seen.
   */
  public TokenVerifier newVerifier(Vertx vertx) {
    Objects.requireNonNull(vertx, "vertx");
    if (VERIFIER_HMAC.equals(verifier)) {
      return new HmacTokens(this);
    }
    throw new IllegalStateException("auth.verifier '" + verifier + "' is not built in");
  }

  public String getVerifier() {
    return verifier;
  }

  public AuthOptions setVerifier(String verifier) {
    if (!VERIFIER_HMAC.equals(verifier)) {
      throw new IllegalArgumentException("auth.verifier must be 'hmac' (other verifiers are plugged in in code), but was '"
          + verifier + "'");
    }
    this.verifier = verifier;
    return this;
  }

  /** Key id -> secret as configured: base64, or {@code env:NAME}. */
  public Map<String, String> getKeys() {
    return keys;
  }

  public AuthOptions setKeys(Map<String, String> keys) {
    if (keys == null || keys.isEmpty()) {
      throw new IllegalArgumentException("auth.keys must hold at least one key");
    }
    Map<String, String> copy = new LinkedHashMap<>();
    keys.forEach((id, secret) -> {
      checkKeyId("auth.keys", id);
      Secrets.check("auth.keys." + id, secret);
      copy.put(id, secret);
    });
    this.keys = Collections.unmodifiableMap(copy);
    return this;
  }

  /** Adds or replaces one key. */
  public AuthOptions putKey(String keyId, String secret) {
    Map<String, String> copy = new LinkedHashMap<>(keys);
    copy.put(keyId, secret);
    return setKeys(copy);
  }

  /** The key id new tokens are signed with, as set; {@code null}: the only key. */
  public String getSigningKey() {
    return signingKey;
  }

  public AuthOptions setSigningKey(String signingKey) {
    if (signingKey != null) {
      checkKeyId("auth.signingKey", signingKey);
    }
    this.signingKey = signingKey;
    return this;
  }

  /** The key id new tokens are signed with: {@link #getSigningKey()}, else the only key, else {@code null}. */
  public String signingKeyId() {
    if (signingKey != null) {
      return signingKey;
    }
    return keys.size() == 1 ? keys.keySet().iterator().next() : null;
  }

  public long getClockSkewMs() {
    return clockSkewMs;
  }

  public AuthOptions setClockSkewMs(long clockSkewMs) {
    if (clockSkewMs < 0 || clockSkewMs > MAX_CLOCK_SKEW_MS) {
      throw new IllegalArgumentException("auth.clockSkewMs must be 0.." + MAX_CLOCK_SKEW_MS + ", but was " + clockSkewMs);
    }
    this.clockSkewMs = clockSkewMs;
    return this;
  }

  public long getReplayWindowMs() {
    return replayWindowMs;
  }

  public AuthOptions setReplayWindowMs(long replayWindowMs) {
    if (replayWindowMs != 0 && (replayWindowMs < MIN_REPLAY_WINDOW_MS || replayWindowMs > MAX_REPLAY_WINDOW_MS)) {
      throw new IllegalArgumentException("auth.replayWindowMs must be 0 (off) or " + MIN_REPLAY_WINDOW_MS + ".."
          + MAX_REPLAY_WINDOW_MS + ", but was " + replayWindowMs);
    }
    this.replayWindowMs = replayWindowMs;
    return this;
  }

  public int getReplayCacheSize() {
    return replayCacheSize;
  }

  public AuthOptions setReplayCacheSize(int replayCacheSize) {
    if (replayCacheSize < 1 || replayCacheSize > MAX_REPLAY_CACHE_SIZE) {
      throw new IllegalArgumentException("auth.replayCacheSize must be 1.." + MAX_REPLAY_CACHE_SIZE + ", but was "
          + replayCacheSize);
    }
    this.replayCacheSize = replayCacheSize;
    return this;
  }

  public int getMaxTokenBytes() {
    return maxTokenBytes;
  }

  public AuthOptions setMaxTokenBytes(int maxTokenBytes) {
    if (maxTokenBytes < MIN_MAX_TOKEN_BYTES || maxTokenBytes > MAX_MAX_TOKEN_BYTES) {
      throw new IllegalArgumentException("auth.maxTokenBytes must be " + MIN_MAX_TOKEN_BYTES + ".." + MAX_MAX_TOKEN_BYTES
          + ", but was " + maxTokenBytes);
    }
    this.maxTokenBytes = maxTokenBytes;
    return this;
  }

  /** Checks what single setters cannot: there is a key, and the signing key is one of them. */
  void validate() {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("auth.keys must hold at least one key");
    }
    if (signingKey == null && keys.size() > 1) {
      throw new IllegalArgumentException("auth.signingKey must name one of auth.keys " + new TreeSet<>(keys.keySet())
          + " when there are several");
    }
    if (signingKey != null && !keys.containsKey(signingKey)) {
      throw new IllegalArgumentException("auth.signingKey must name one of auth.keys " + new TreeSet<>(keys.keySet())
          + ", but was '" + signingKey + "'");
    }
  }

  /** Every key's secret, the environment read through {@code env}; fails naming the key. */
  Map<String, byte[]> resolveSecrets(Function<String, String> env) {
    Map<String, byte[]> secrets = new LinkedHashMap<>();
    keys.forEach((id, secret) -> secrets.put(id, Secrets.resolve("auth.keys." + id, secret, env)));
    return secrets;
  }

  private static void checkKeyId(String key, String id) {
    if (id == null || !KEY_ID.matcher(id).matches()) {
      throw new IllegalArgumentException(key + ": a key id must be 1-32 of A-Z a-z 0-9 _ -, but was '" + id + "'");
    }
  }

  private static String string(JsonObject json, String key, String def) {
    Object v = json.getValue(key);
    if (v == null) {
      return def;
    }
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("auth." + key + " must be a string, but was " + v);
    }
    return s;
  }

  private static long number(JsonObject json, String key, long def) {
    Object v = json.getValue(key);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Integer || v instanceof Long)) {
      throw new IllegalArgumentException("auth." + key + " must be a whole number, but was " + v);
    }
    return ((Number) v).longValue();
  }

  /** Out-of-range values stay out of range, so the setter's message shows them. */
  private static int clampToInt(long v) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
  }
}
