package io.weft.core;

/**
 * Status codes of the wire protocol, numbered as gRPC numbers them (PROTOCOL.md section 4).
 * Failures are mapped to codes at the edge (the gate, the service host), nowhere else.
 */
public enum Code {
  OK(0),
  CANCELLED(1),
  UNKNOWN(2),
  INVALID_ARGUMENT(3),
  DEADLINE_EXCEEDED(4),
  NOT_FOUND(5),
  PERMISSION_DENIED(7),
  RESOURCE_EXHAUSTED(8),
  FAILED_PRECONDITION(9),
  UNIMPLEMENTED(12),
  INTERNAL(13),
  UNAVAILABLE(14),
  UNAUTHENTICATED(16);

  private static final Code[] BY_VALUE = new Code[17];

  static {
    for (Code c : values()) {
      BY_VALUE[c.value] = c;
    }
  }

  private final int value;

  Code(int value) {
    this.value = value;
  }

  /** The number carried on the wire. */
  public int value() {
    return value;
  }

  /** The code for a wire number; numbers this version does not know map to {@link #UNKNOWN}. */
  public static Code of(int value) {
    Code c = value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    return c == null ? UNKNOWN : c;
  }
}
