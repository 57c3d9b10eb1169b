package io.weft.core.governance;

import java.util.Locale;

/**
 * What the gate does when an attempt fails. Only methods their service reports
 * {@code Idempotent} are ever attempted twice, whatever the mode.
 */
public enum FailMode {
  /** Answer the failure at once (the default). */
  FAILFAST,
  /** Try another instance, up to the retry limit. */
  FAILOVER,
  /** Try the same instance again, up to the retry limit. */
  FAILRETRY,
  /** Answer success with an empty (nil) reply instead of the failure. */
  FAILSAFE;

  /** The name on the wire and in config: {@code failfast}, {@code failover}, ... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode named {@code name}, or {@code null} for null. */
  public static FailMode fromName(String name) {
    if (name == null) {
      return null;
    }
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("failMode must be failfast, failover, failretry or failsafe, but was '" + name + "'");
    }
  }
}
