package io.weft.service;

import io.vertx.core.Vertx;
import io.weft.core.trace.CallLogger;

/**
 * What an event handler knows of the event it is handling, and how it calls, publishes and pushes
 * in turn ({@link ServiceCalls}): calls and events it makes carry on the event's {@link #trace()}.
 */
public interface EventContext extends ServiceCalls {

  /** The topic the event was published to. */
  String topic();

  /** The event's id: its entry id in the topic's stream ({@code <ms>-<seq>}), the same for every delivery. */
  String eventId();

  /** The publisher's ordering key, or {@code null}. */
  String key();

  /** Who published it: {@code <namespace>/<service>@<instance>}, or another publisher's label. */
  String publisher();

  /**
   * The {@code traceparent} this handling carries on: the publisher's (stored with the event) or,
   * when this instance records spans, that of its span of this delivery (a child of the
   * publisher's). {@code null} for an event stored without one.
   */
  String trace();

  /** The trace id of {@link #trace()} (32 hex digits), as logs show it; {@code null} without a trace. */
  default String traceId() {
    return CallLogger.traceId(trace());
  }

  /** When it was published, in milliseconds since the epoch. */
  long publishedAt();

  /** Which delivery this is: 1 the first time, more when it is tried again or taken over after a crash. */
  int attempt();

  /** This instance's id: its advertised {@code host:port}. */
  String instance();

  Vertx vertx();
}
