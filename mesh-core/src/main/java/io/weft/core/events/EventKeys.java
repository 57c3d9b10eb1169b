package io.weft.core.events;

import java.util.regex.Pattern;

/**
 * The Redis keys of events and persistent calls (PROTOCOL.md section 14):
 * <pre>
 * weft:events:&lt;topic&gt;                      a topic's stream; one consumer group per subscribing service
 * weft:events:&lt;topic&gt;:dead:&lt;group&gt;         what a group gave up on (dead letters)
 * weft:events:&lt;topic&gt;:lease:&lt;group&gt;        who consumes an ordered subscription now
 * weft:calls:&lt;namespace&gt;/&lt;service&gt;          a service's persistent calls; its group is &lt;namespace&gt;/&lt;service&gt;
 * weft:calls:&lt;namespace&gt;/&lt;service&gt;:dead:&lt;namespace&gt;/&lt;service&gt;
 * weft:calls:&lt;namespace&gt;/&lt;service&gt;:msg:&lt;messageId&gt;   a persistent call's de-duplication marker
 * </pre>
 * A group is named after the subscribing service, {@code <namespace>/<service>}; a consumer after
 * the instance, its {@code host:port}.
 */
public final class EventKeys {

  /** Topics: 1 to 200 letters, digits, {@code .}, {@code _} or {@code -}. */
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  public static final String EVENTS_PREFIX = "weft:events:";
  public static final String CALLS_PREFIX = "weft:calls:";

  private EventKeys() {
  }

  /**
   * Checks a topic name.
   *
   * @throws IllegalArgumentException naming the topic when it is not 1 to 200 of {@code [A-Za-z0-9._-]}
   */
  public static String checkTopic(String topic) {
    if (topic == null || !TOPIC.matcher(topic).matches()) {
      throw new IllegalArgumentException("a topic is 1 to 200 letters, digits, '.', '_' or '-', but was "
          + (topic == null ? "null" : "'" + topic + "'"));
    }
    return topic;
  }

  /** The stream of {@code topic}. */
  public static String topic(String topic) {
    return EVENTS_PREFIX + checkTopic(topic);
  }

  /** The group, and the persistent-call stream's suffix, of a service. */
  public static String group(String namespace, String service) {
    if (namespace == null || namespace.isEmpty() || service == null || service.isEmpty()
        || namespace.contains("/") || service.contains("/")) {
      throw new IllegalArgumentException("a group is <namespace>/<service>, but was " + namespace + "/" + service);
    }
    return namespace + "/" + service;
  }

  /** Checks a group name given as {@code <namespace>/<service>}. */
  public static String checkGroup(String group) {
    int slash = group == null ? -1 : group.indexOf('/');
    if (slash < 1) {
      throw new IllegalArgumentException("a group is <namespace>/<service>, but was '" + group + "'");
    }
    return group(group.substring(0, slash), group.substring(slash + 1));
  }

  /** Where {@code group} puts the entries of {@code stream} it gave up on. */
  public static String deadLetters(String stream, String group) {
    return stream + ":dead:" + group;
  }

  /** The lease of an ordered subscription: who reads {@code stream} for {@code group} now. */
  public static String lease(String stream, String group) {
    return stream + ":lease:" + group;
  }

  /** The persistent-call stream of a service. */
  public static String calls(String namespace, String service) {
    return CALLS_PREFIX + group(namespace, service);
  }

  /** The de-duplication marker of one persistent call. */
  public static String callMarker(String callStream, String messageId) {
    return callStream + ":msg:" + messageId;
  }
}
