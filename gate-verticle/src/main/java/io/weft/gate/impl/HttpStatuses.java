package io.weft.gate.impl;

import io.weft.core.Code;

/**
 * The HTTP status answering each wire code at the HTTP gateway (PROTOCOL.md section 18), as
 * gRPC's own HTTP mapping (and grpc-gateway) has them.
 */
public final class HttpStatuses {

  private HttpStatuses() {
  }

  public static int of(int code) {
    return switch (code) {
      case 0 -> 200;
      case 1 -> 499;          // CANCELLED: the client went away
      case 3, 9, 11 -> 400;   // INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE
      case 4 -> 504;          // DEADLINE_EXCEEDED
      case 5 -> 404;          // NOT_FOUND
      case 6, 10 -> 409;      // ALREADY_EXISTS, ABORTED
      case 7 -> 403;          // PERMISSION_DENIED
      case 8 -> 429;          // RESOURCE_EXHAUSTED
      case 12 -> 501;         // UNIMPLEMENTED
      case 14 -> 503;         // UNAVAILABLE
      case 16 -> 401;         // UNAUTHENTICATED
      default -> 500;         // UNKNOWN, INTERNAL, DATA_LOSS, and codes this gate does not know
    };
  }

  public static int of(Code code) {
    return of(code.value());
  }
}
