package io.weft.core.frame;

/**
 * A frame the receiver will not accept (PROTOCOL.md section 1). The connection that produced it
 * is closed at once; the {@link Kind} says why, for logs and metrics.
 */
public final class FrameException extends RuntimeException {

  /** Why a frame was refused. */
  public enum Kind {
    /** The length field was 0. */
    EMPTY,
    /** The length field claimed more than the listener's limit. */
    TOO_LARGE,
    /** The body is not a MessagePack {@code [name: str, args: map]} array with well-typed fields. */
    MALFORMED
  }

  private final Kind kind;

  public FrameException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
