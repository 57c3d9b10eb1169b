package io.weft.core.protocol.impl;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;

/**
 * A fixed set of strings found by their UTF-8 bytes where they lie, without decoding them: the
 * map keys and message names of the protocol. A hit returns the one canonical {@code String}, so
 * a {@code switch} on it is decided by identity.
 */
public final class KnownStrings {

  private final byte[][][] bytesByLength = new byte[32][][];
  private final String[][] stringsByLength = new String[32][];

  public KnownStrings(Collection<String> strings) {
    for (String s : strings) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      if (utf8.length >= 32) {
        throw new IllegalArgumentException("only strings shorter than 32 bytes: " + s);
      }
      int n = utf8.length;
      bytesByLength[n] = append(bytesByLength[n], utf8);
      stringsByLength[n] = append(stringsByLength[n], s);
    }
  }

  private static <T> T[] append(T[] array, T value) {
    if (array == null) {
      @SuppressWarnings("unchecked")
      T[] one = (T[]) java.lang.reflect.Array.newInstance(value.getClass(), 1);
      one[0] = value;
      return one;
    }
    T[] longer = Arrays.copyOf(array, array.length + 1);
    longer[array.length] = value;
    return longer;
  }

  /** The known string spelled by {@code bytes[offset, offset + length)}, or {@code null}. */
  public String find(byte[] bytes, int offset, int length) {
    if (length >= 32) {
      return null;
    }
    byte[][] candidates = bytesByLength[length];
    if (candidates == null) {
      return null;
    }
    for (int i = 0; i < candidates.length; i++) {
      if (Arrays.equals(bytes, offset, offset + length, candidates[i], 0, length)) {
        return stringsByLength[length][i];
      }
    }
    return null;
  }
}
