package io.weft.service;

import io.vertx.core.Future;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiFunction;

/**
 * A service for the events tests: it may subscribe to one topic (ordered by the gift's
 * recipient, or not), takes persistent {@code Grant} calls, and publishes from a handler with
 * {@code Publish}. What it handles goes to a {@link Recorder} the test shares with it.
 */
public class EventfulService extends MeshService {

  public record Gift(String from, String to, int seq) {
  }

  public record Grant(String user, int xp) {
  }

  public record Handled(String instance, String eventId, Gift gift, int attempt, String trace, String publisher,
                        String topic) {
  }

  public record Granted(String instance, Grant grant, String trace, String client) {
  }

  /** What the instances of a service handled, and how the next events fare. */
  public static final class Recorder {
    final Queue<Handled> events = new ConcurrentLinkedQueue<>();
    final Queue<Granted> grants = new ConcurrentLinkedQueue<>();
    volatile BiFunction<EventfulService, Handled, Future<?>> onEvent = (s, h) -> Future.succeededFuture();
  }

  private final Recorder recorder;
  private final String topic;
  private final boolean ordered;

  public EventfulService(Recorder recorder, String topic, boolean ordered) {
    this.recorder = recorder;
    this.topic = topic;
    this.ordered = ordered;
  }

  @Override
  protected void configure(Rpcs r) {
    r.on("Grant", Grant.class, this::grant);
    r.on("Publish", Gift.class, (ctx, gift) -> ctx.publish(topic, gift));
    if (topic != null) {
      SubscriptionSpec<Gift> s = r.subscribe(topic, Gift.class, this::onGift);
      if (ordered) {
        s.orderedBy(Gift::to);
      }
    }
  }

  private Future<?> onGift(EventContext ctx, Gift gift) {
    Handled h = new Handled(ctx.instance(), ctx.eventId(), gift, ctx.attempt(), ctx.trace(), ctx.publisher(), ctx.topic());
    recorder.events.add(h);
    return recorder.onEvent.apply(this, h);
  }

  private Future<Void> grant(RpcContext ctx, Grant grant) {
    recorder.grants.add(new Granted(ctx.instance(), grant, ctx.trace(), ctx.caller() == null ? null : ctx.caller().client()));
    return Future.succeededFuture();
  }
}
