package io.weft.core.events;

/**
 * How one persistent call is stored.
 *
 * @param messageId the call's id: a call stored again with the same id while the first is
 *                  remembered ({@code events.callDedupeTtlSec}) is not stored twice, so a caller
 *                  that retries after a lost answer does not make two calls. {@code null}: a new
 *                  random id.
 * @param trace     a trace id that replaces the caller's; {@code null}: keep it
 */
public record PersistentCallOptions(String messageId, String trace) {

  public static final PersistentCallOptions DEFAULT = new PersistentCallOptions(null, null);

  public PersistentCallOptions {
    if (messageId != null && (messageId.isEmpty() || messageId.length() > 200)) {
      throw new IllegalArgumentException("messageId must be 1 to 200 characters, but was '" + messageId + "'");
    }
  }

  public static PersistentCallOptions messageId(String messageId) {
    return new PersistentCallOptions(messageId, null);
  }

  public PersistentCallOptions withTrace(String trace) {
    return new PersistentCallOptions(messageId, trace);
  }
}
