package io.weft.core.client;

import java.util.Map;

/**
 * Per-call settings of {@link MeshClient#call}: the budget, routing keys, tags and trace id
 * (PROTOCOL.md section 5). Immutable; each {@code with*} returns a copy.
 *
 * @param timeoutMs the budget in ms; {@code 0} means the client's default
 */
public record CallOptions(long timeoutMs, String orderKey, String hashKey, Map<String, String> tags, String trace) {

  public static final CallOptions DEFAULT = new CallOptions(0, null, null, Map.of(), null);

  public CallOptions {
    if (timeoutMs < 0) {
      throw new IllegalArgumentException("timeoutMs must be >= 0, but was " + timeoutMs);
    }
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }

  public CallOptions withTimeoutMs(long timeoutMs) {
    return new CallOptions(timeoutMs, orderKey, hashKey, tags, trace);
  }

  public CallOptions withOrderKey(String orderKey) {
    return new CallOptions(timeoutMs, orderKey, hashKey, tags, trace);
  }

  public CallOptions withHashKey(String hashKey) {
    return new CallOptions(timeoutMs, orderKey, hashKey, tags, trace);
  }

  public CallOptions withTags(Map<String, String> tags) {
    return new CallOptions(timeoutMs, orderKey, hashKey, tags, trace);
  }

  public CallOptions withTrace(String trace) {
    return new CallOptions(timeoutMs, orderKey, hashKey, tags, trace);
  }
}
