package io.weft.service;

import io.weft.core.events.ConsumerSettings;
import io.weft.core.events.EventKeys;
import io.weft.core.events.EventsOptions;
import io.weft.core.events.EventsOptions.StartFrom;
import java.util.Objects;
import java.util.function.Function;

/**
 * One topic a service subscribes to, as declared in {@link MeshService#configure}:
 * <pre>{@code
 * r.subscribe("gift.sent", GiftSent.class, this::onGift).orderedBy(GiftSent::to).maxAttempts(10);
 * }</pre>
 * The service's instances share its events: the service is one consumer group on the topic
 * ({@code <namespace>/<service>}), each instance a consumer in it. Settings not set here come from
 * the service's {@code events} options.
 *
 * @param <E> the event type
 */
public final class SubscriptionSpec<E> {

  private final String topic;
  private final Class<E> type;
  private final EventHandler<E> handler;
  private boolean ordered;
  private Function<? super E, String> orderKey;
  private Integer maxAttempts;
  private Long visibilityTimeoutMs;
  private Long retryDelayMs;
  private Integer maxInFlight;
  private StartFrom startFrom;

  SubscriptionSpec(String topic, Class<E> type, EventHandler<E> handler) {
    this.topic = EventKeys.checkTopic(topic);
    this.type = Objects.requireNonNull(type, "type");
    this.handler = Objects.requireNonNull(handler, "handler");
  }

  /**
   * Events with the same key are handled one at a time, in the order they were published, even
   * across instances and crashes: the key is what {@code key} says of the event. See
   * {@link io.weft.core.events.StreamConsumer} for how (one instance of the service reads the
   * topic at a time; keys are spread over its ordered workers).
   */
  public SubscriptionSpec<E> orderedBy(Function<? super E, String> key) {
    this.ordered = true;
    this.orderKey = Objects.requireNonNull(key, "key");
    return this;
  }

  /** Ordered by the key the publisher gave ({@code PublishOptions.key}); events without one share one order. */
  public SubscriptionSpec<E> ordered() {
    this.ordered = true;
    this.orderKey = null;
    return this;
  }

  /** Deliveries before an event goes to the dead letters (default: {@code events.maxAttempts}). */
  public SubscriptionSpec<E> maxAttempts(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, but was " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
    return this;
  }

  /** How long the events of a lost instance stay invisible to the others (default: {@code events.visibilityTimeoutMs}). */
  public SubscriptionSpec<E> visibilityTimeoutMs(long visibilityTimeoutMs) {
    if (visibilityTimeoutMs < 50) {
      throw new IllegalArgumentException("visibilityTimeoutMs must be >= 50, but was " + visibilityTimeoutMs);
    }
    this.visibilityTimeoutMs = visibilityTimeoutMs;
    return this;
  }

  /** The pause before a failed event is tried again (default: {@code events.retryDelayMs}). */
  public SubscriptionSpec<E> retryDelayMs(long retryDelayMs) {
    if (retryDelayMs < 1) {
      throw new IllegalArgumentException("retryDelayMs must be >= 1, but was " + retryDelayMs);
    }
    this.retryDelayMs = retryDelayMs;
    return this;
  }

  /** Events one instance holds at once (default: {@code events.maxInFlight}). */
  public SubscriptionSpec<E> maxInFlight(int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be >= 1, but was " + maxInFlight);
    }
    this.maxInFlight = maxInFlight;
    return this;
  }

  /**
   * Where the service's group starts when it subscribes to the topic for the first time (default:
   * {@code events.startFrom}, {@code LATEST}). Once the group exists it keeps its place, so events
   * published while every instance is down are delivered when one comes back.
   */
  public SubscriptionSpec<E> startFrom(StartFrom startFrom) {
    this.startFrom = Objects.requireNonNull(startFrom, "startFrom");
    return this;
  }

  public String topic() {
    return topic;
  }

  public Class<E> type() {
    return type;
  }

  public EventHandler<E> handler() {
    return handler;
  }

  public boolean isOrdered() {
    return ordered;
  }

  /** The ordering key of an event of an ordered subscription. */
  public String keyOf(E event, String publishedKey) {
    return orderKey == null ? publishedKey : orderKey.apply(event);
  }

  /** Where the group starts, with the service's options as defaults. */
  public StartFrom startFrom(EventsOptions defaults) {
    return startFrom != null ? startFrom : defaults.getStartFrom();
  }

  /** How to consume, with the service's options as defaults; {@code lanes} for ordered subscriptions. */
  public ConsumerSettings settings(EventsOptions defaults, int lanes) {
    ConsumerSettings s = ConsumerSettings.of(defaults);
    if (maxAttempts != null) {
      s = s.withMaxAttempts(maxAttempts);
    }
    if (visibilityTimeoutMs != null) {
      s = s.withVisibilityTimeoutMs(visibilityTimeoutMs);
    }
    if (retryDelayMs != null) {
      s = s.withRetryDelayMs(retryDelayMs);
    }
    if (maxInFlight != null) {
      s = s.withMaxInFlight(maxInFlight);
    }
    return ordered ? s.withOrdered(lanes) : s;
  }
}
