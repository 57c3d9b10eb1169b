package io.weft.service.impl;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.weft.core.client.CallOptions;
import io.weft.core.events.PersistentCallOptions;
import io.weft.core.events.PublishOptions;
import io.weft.core.events.StreamEntry;
import io.weft.core.protocol.Envelope;
import io.weft.service.EventContext;

/**
 * One delivery of an event on its way from a host's consumer to the business verticle that
 * handles it, over the event bus (pass-through codec); also the handler's {@link EventContext}.
 * The handler's outcome completes {@link #done}, on the host's context.
 */
public final class EventDelivery implements EventContext {

  private final String topic;
  private final StreamEntry entry;
  private final String trace;
  private final Object event;
  private final int attempt;
  private final String instance;
  private final Vertx vertx;
  private final GateCalls calls;
  private final Promise<Void> done;

  /** @param trace what the handling carries on: the entry's trace, or the host's span of the delivery */
  public EventDelivery(String topic, StreamEntry entry, String trace, Object event, int attempt, String instance,
                       Vertx vertx, GateCalls calls, Promise<Void> done) {
    this.topic = topic;
    this.entry = entry;
    this.trace = trace;
    this.event = event;
    this.attempt = attempt;
    this.instance = instance;
    this.vertx = vertx;
    this.calls = calls;
    this.done = done;
  }

  /** The decoded event. */
  public Object event() {
    return event;
  }

  /** The handler's outcome. */
  public void done(AsyncResult<?> outcome) {
    if (outcome.succeeded()) {
      done.tryComplete();
    } else {
      done.tryFail(outcome.cause());
    }
  }

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public String eventId() {
    return entry.id();
  }

  @Override
  public String key() {
    return entry.key();
  }

  @Override
  public String publisher() {
    return entry.publisher();
  }

  @Override
  public String trace() {
    return trace;
  }

  @Override
  public long publishedAt() {
    return entry.publishedAt();
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public String instance() {
    return instance;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public String namespace() {
    return calls.namespace();
  }

  @Override
  public String pushNamespace() {
    return calls.pushNamespace();
  }

  @Override
  public <T> Future<T> call(String namespace, String service, String method, Object args, Class<T> replyType,
                            CallOptions options) {
    return calls.call(trace(), Envelope.ABSENT, namespace, service, method, args, replyType, options);
  }

  @Override
  public void send(String namespace, String service, String method, Object args, CallOptions options) {
    calls.send(trace(), Envelope.ABSENT, namespace, service, method, args, options);
  }

  @Override
  public Future<String> publish(String topic, Object event, PublishOptions options) {
    return calls.publish(trace(), topic, event, options);
  }

  @Override
  public Future<String> callPersistent(String namespace, String service, String method, Object args,
                                       PersistentCallOptions options) {
    return calls.callPersistent(trace(), namespace, service, method, args, options);
  }
}
