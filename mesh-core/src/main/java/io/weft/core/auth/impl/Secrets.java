package io.weft.core.auth.impl;

import java.util.Base64;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Configured secrets: base64 (standard or URL alphabet, padding optional) written in the config,
 * or {@code env:NAME} to read that base64 from an environment variable, so the secret itself need
 * not sit in a file checked in or baked into an image. Messages name the config key and the
 * variable, never any part of the secret.
 */
public final class Secrets {

  /** Below 256 bits an HMAC-SHA256 key is weaker than the MAC it keys (RFC 2104 section 3). */
  public static final int MIN_BYTES = 32;

  private static final String ENV_PREFIX = "env:";
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private Secrets() {
  }

  /** True when {@code value} is an {@code env:NAME} reference. */
  public static boolean isEnvReference(String value) {
    return value.startsWith(ENV_PREFIX);
  }

  /**
   * Checks what can be checked without the environment: a literal is decoded and measured, a
   * reference's variable name is checked. {@code key} names the setting in messages.
   */
  public static void check(String key, String value) {
    if (value == null) {
      throw new IllegalArgumentException(key + " must be a base64 secret or env:NAME");
    }
    if (isEnvReference(value)) {
      envName(key, value);
    } else {
      decode(key, value, "");
    }
  }

  /** The secret's bytes, reading the environment through {@code env} for a reference. */
  public static byte[] resolve(String key, String value, Function<String, String> env) {
    if (!isEnvReference(value)) {
      return decode(key, value, "");
    }
    String name = envName(key, value);
    String fromEnv = env.apply(name);
    if (fromEnv == null || fromEnv.isBlank()) {
      throw new IllegalArgumentException(key + " names environment variable " + name + ", which is not set");
    }
    return decode(key, fromEnv, " (from environment variable " + name + ")");
  }

  private static String envName(String key, String value) {
    String name = value.substring(ENV_PREFIX.length());
    if (!ENV_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(key + " must name an environment variable as env:NAME, but was '" + value + "'");
    }
    return name;
  }

  private static byte[] decode(String key, String base64, String source) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.strip().replace('-', '+').replace('_', '/'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " must be base64" + source + ", but is not");
    }
    if (bytes.length < MIN_BYTES) {
      throw new IllegalArgumentException(key + " must be the base64 of at least " + MIN_BYTES + " bytes" + source
          + ", but was " + bytes.length + " bytes (make one with: openssl rand -base64 32)");
    }
    return bytes;
  }
}
