package io.weft.core.discovery.impl;

/** Checks of the runtime config keys every registry takes (relative to {@code /weft/config/}). */
public final class ConfigKeys {

  private ConfigKeys() {
  }

  /**
   * @throws IllegalArgumentException unless {@code key} is a non-empty path of non-empty segments
   *     ({@code disabled/demo/echo}), without a leading or trailing {@code /}
   */
  public static String checkKey(String key) {
    if (key == null || key.isEmpty() || key.startsWith("/") || key.endsWith("/") || key.contains("//")) {
      throw new IllegalArgumentException("a config key is a path relative to /weft/config/ such as "
          + "'disabled/demo/echo', but was '" + key + "'");
    }
    return key;
  }

  /** @throws IllegalArgumentException if {@code prefix} is null or starts with {@code /} */
  public static String checkPrefix(String prefix) {
    if (prefix == null || prefix.startsWith("/")) {
      throw new IllegalArgumentException("a config prefix is relative to /weft/config/ (\"\" for every key), "
          + "but was '" + prefix + "'");
    }
    return prefix;
  }
}
