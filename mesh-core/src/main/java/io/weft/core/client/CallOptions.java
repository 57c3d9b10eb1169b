package io.weft.core.client;

import io.weft.core.governance.FailMode;
import java.util.Map;

/**
 * Per-call settings of {@link MeshClient#call}: the budget, routing keys, tags, trace id
 * (PROTOCOL.md section 5) and fail mode (docs/PROTOCOL.md section 11). Immutable; each {@code with*} returns a copy.
 *
 * @param timeoutMs the budget in ms; {@code 0} means the client's default
 */
public record CallOptions(long timeoutMs, String orderKey, String hashKey, Map<String, String> tags, String trace,
                          FailMode failMode) {

  public static final CallOptions DEFAULT = new CallOptions(0, null, null, Map.of(), null, null);

  /** Options with the service's own fail mode. */
  public CallOptions(long timeoutMs, String orderKey, String hashKey, Map<String, String> tags, String trace) {
    this(timeoutMs, orderKey, hashKey, tags, trace, null);
  }

  public CallOptions {
    if (timeoutMs < 0) {
      throw new IllegalArgumentException("timeoutMs must be >= 0, but was " + timeoutMs);
    }
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }

  public CallOptions withTimeoutMs(long timeoutMs) {
    return new CallOptions(timeoutMs, orderKey, hashKey, tags, trace, failMode);
  }

  public CallOptions withOrderKey(String orderKey) {
    return new CallOptions(timeoutMs, orderKey, hashKey, tags, trace, failMode);
  }

  public CallOptions withHashKey(String hashKey) {
    return new CallOptions(timeoutMs, orderKey, hashKey, tags, trace, failMode);
  }

  public CallOptions withTags(Map<String, String> tags) {
    return new CallOptions(timeoutMs, orderKey, hashKey, tags, trace, failMode);
  }

  public CallOptions withTrace(String trace) {
    return new CallOptions(timeoutMs, orderKey, hashKey, tags, trace, failMode);
  }

  /** Overrides the service's fail mode for this call ({@code null}: the service's own). */
  public CallOptions withFailMode(FailMode failMode) {
    return new CallOptions(timeoutMs, orderKey, hashKey, tags, trace, failMode);
  }
}
