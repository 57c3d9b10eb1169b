package io.weft.core.codec;

import java.util.Arrays;
import java.util.Objects;

/**
 * One MessagePack value kept as its encoded bytes. A handler that takes or returns a
 * {@code RawValue} moves args or replies without mapping them to objects (an echo, a relay).
 */
public final class RawValue {

  private final byte[] bytes;

  private RawValue(byte[] bytes) {
    this.bytes = Objects.requireNonNull(bytes, "bytes");
  }

  /** Wraps encoded MessagePack (not checked here; a malformed value fails where it is read). */
  public static RawValue of(byte[] encoded) {
    return new RawValue(encoded);
  }

  /** The encoded bytes; do not modify them. */
  public byte[] bytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawValue other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "RawValue[" + bytes.length + " bytes]";
  }
}
