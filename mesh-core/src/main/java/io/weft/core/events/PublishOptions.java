package io.weft.core.events;

/**
 * How one event is published.
 *
 * @param key   the ordering key stored with the event ({@code key} field); subscriptions declared
 *              {@code ordered()} handle the events of one key in order. {@code null}: none.
 * @param trace a trace id that replaces the one the publisher carries (a handler's); {@code null}:
 *              keep it
 */
public record PublishOptions(String key, String trace) {

  public static final PublishOptions DEFAULT = new PublishOptions(null, null);

  public static PublishOptions key(String key) {
    return new PublishOptions(key, null);
  }

  public PublishOptions withKey(String key) {
    return new PublishOptions(key, trace);
  }

  public PublishOptions withTrace(String trace) {
    return new PublishOptions(key, trace);
  }
}
