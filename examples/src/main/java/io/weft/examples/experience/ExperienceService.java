package io.weft.examples.experience;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.shareddata.LocalMap;
import io.weft.examples.chat.GiftSent;
import io.weft.service.EventContext;
import io.weft.service.MeshService;
import io.weft.service.RpcContext;
import io.weft.service.Rpcs;

/**
 * The demo service {@code demo/experience}: a gift sent earns its sender experience (from
 * {@code gift.sent} events, unordered), and {@code Grant} (called persistently by
 * {@code demo/chat}'s {@code Welcome}) grants some. Experience lives in the instance's memory.
 * <p>
 * Config: {@code topic} ({@code gift.sent} by default), and {@code handleDelayMs}, a pause in each
 * event's handler, to watch an event survive the crash of the instance handling it.
 */
public class ExperienceService extends MeshService {

  private static final Logger log = LoggerFactory.getLogger(ExperienceService.class);

  public record Grant(String user, long xp, String reason) {
  }

  public record Xp(String user) {
  }

  public record XpOf(String user, long xp) {
  }

  @Override
  protected void configure(Rpcs r) {
    r.on("Grant", Grant.class, this::grant);
    r.on("Xp", Xp.class, this::xp).publicAccess().idempotent();
    r.subscribe(config().getString("topic", GiftSent.TOPIC), GiftSent.class, this::onGift);
  }

  private LocalMap<String, Long> xp(String instance) {
    return vertx.sharedData().getLocalMap("experience.xp." + instance);
  }

  private Future<Void> onGift(EventContext ctx, GiftSent gift) {
    long delay = config().getLong("handleDelayMs", 0L);
    if (delay <= 0) {
      earn(ctx, gift);
      return Future.succeededFuture();
    }
    log.info("Handling " + ctx.topic() + " " + ctx.eventId() + " (attempt " + ctx.attempt() + ") for " + delay + " ms");
    Promise<Void> done = Promise.promise();
    vertx.setTimer(delay, t -> {
      earn(ctx, gift);
      done.complete();
    });
    return done.future();
  }

  private void earn(EventContext ctx, GiftSent gift) {
    long total = xp(ctx.instance()).merge(gift.from(), gift.value(), Long::sum);
    log.info("Handled " + ctx.topic() + " " + ctx.eventId() + " (attempt " + ctx.attempt() + "): " + gift.from()
        + " +" + gift.value() + " xp, now " + total);
  }

  private Future<Void> grant(RpcContext ctx, Grant grant) {
    long total = xp(ctx.instance()).merge(grant.user(), grant.xp(), Long::sum);
    log.info("Granted " + grant.user() + " +" + grant.xp() + " xp (" + grant.reason() + "), now " + total);
    return Future.succeededFuture();
  }

  private Future<XpOf> xp(RpcContext ctx, Xp args) {
    Long xp = xp(ctx.instance()).get(args.user());
    return Future.succeededFuture(new XpOf(args.user(), xp == null ? 0 : xp));
  }
}
