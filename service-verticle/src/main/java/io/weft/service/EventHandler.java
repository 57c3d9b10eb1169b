package io.weft.service;

import io.vertx.core.Future;

/**
 * Handles the events of one topic a service subscribes to. The event is acknowledged when the
 * returned future succeeds; when it fails (or the handler throws) the event is tried again, up to
 * the subscription's {@code maxAttempts}, and then goes to the group's dead-letter stream. Fail
 * with {@link io.weft.core.events.DeadLetterException} to give up at once.
 * <p>
 * Delivery is at least once: after a crash, or a handler that succeeded but whose acknowledgement
 * was lost, an event is handled again, so handlers should be idempotent (by {@link EventContext#eventId()}).
 *
 * @param <E> the event type, mapped from MessagePack by Jackson
 */
@FunctionalInterface
public interface EventHandler<E> {

  Future<?> handle(EventContext ctx, E event) throws Exception;
}
