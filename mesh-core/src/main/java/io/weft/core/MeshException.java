package io.weft.core;

import java.util.Objects;

/**
 * A failed call, carrying the wire {@link Code} and a short human-readable message.
 * <p>
 * Instances are immutable. Failures raised on the hot path (timeouts, rejections, unavailable
 * instances) are created without a stack trace: it would say nothing about the cause and costs
 * more than the call itself.
 */
public final class MeshException extends RuntimeException {

  private final Code code;

  private MeshException(Code code, String message, boolean stackTrace) {
    super(message, null, false, stackTrace);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** A failure with a stack trace, for the unexpected. */
  public static MeshException of(Code code, String message) {
    return new MeshException(code, message, true);
  }

  /** A failure without a stack trace, for expected outcomes on the hot path. */
  public static MeshException quiet(Code code, String message) {
    return new MeshException(code, message, false);
  }

  /** Maps a wire code and error string, as received, to an exception. */
  public static MeshException fromWire(int code, String error) {
    return new MeshException(Code.of(code), error == null || error.isEmpty() ? Code.of(code).name() : error, false);
  }

  public Code code() {
    return code;
  }

  @Override
  public String toString() {
    return "MeshException{" + code + " (" + code.value() + "): " + getMessage() + "}";
  }
}
