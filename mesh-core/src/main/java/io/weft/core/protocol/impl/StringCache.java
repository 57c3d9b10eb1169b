package io.weft.core.protocol.impl;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Remembers recently decoded short strings by their bytes, so that values repeated in every frame
 * (a namespace, a service name, a client label) are decoded once rather than once per frame.
 * Direct-mapped: a slot holds the last string whose bytes hashed to it. One per thread.
 */
public final class StringCache {

  private static final int SLOTS = 512;
  /** Longer strings are decoded each time: they are rarely repeated names. */
  public static final int MAX_LENGTH = 64;

  private final byte[][] keys = new byte[SLOTS][];
  private final String[] values = new String[SLOTS];

  /** The string spelled by {@code bytes[offset, offset + length)} in UTF-8. */
  public String get(byte[] bytes, int offset, int length) {
    int hash = 1;
    for (int i = offset; i < offset + length; i++) {
      hash = 31 * hash + bytes[i];
    }
    int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
    byte[] key = keys[slot];
    if (key != null && key.length == length && Arrays.equals(bytes, offset, offset + length, key, 0, length)) {
      return values[slot];
    }
    String value = new String(bytes, offset, length, StandardCharsets.UTF_8);
    keys[slot] = Arrays.copyOfRange(bytes, offset, offset + length);
    values[slot] = value;
    return value;
  }
}
