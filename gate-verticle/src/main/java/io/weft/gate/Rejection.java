package io.weft.gate;

import io.weft.core.Code;
import java.util.Objects;

/** Why a {@link RouteFilter} refused a call: answered to the caller with this code and message. */
public record Rejection(Code code, String error) {

  public Rejection {
    Objects.requireNonNull(code, "code");
    if (code == Code.OK) {
      throw new IllegalArgumentException("a rejection needs a failure code");
    }
  }
}
