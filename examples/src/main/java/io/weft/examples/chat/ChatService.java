package io.weft.examples.chat;

import io.vertx.core.Future;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.events.PersistentCallOptions;
import io.weft.core.events.PublishOptions;
import io.weft.examples.experience.ExperienceService;
import io.weft.service.MeshService;
import io.weft.service.RpcContext;
import io.weft.service.Rpcs;

/**
 * The demo service {@code demo/chat}: it publishes what happens and lets others react, without
 * knowing them. {@code SendGift} publishes {@code gift.sent} (keyed by the recipient), which
 * {@code demo/leaderboard} and {@code demo/experience} each handle; {@code Welcome} grants a new
 * user experience with a persistent call, stored until {@code demo/experience} runs it and run
 * once per user however often it is sent. Needs Redis ({@code conf/events.json}).
 */
public class ChatService extends MeshService {

  public record SendGift(String from, String to, String gift, long value, String room) {
  }

  public record GiftReceipt(String eventId) {
  }

  public record Welcome(String user) {
  }

  public record Welcomed(String messageId) {
  }

  /** Experience granted to a user on their first welcome. */
  public static final int WELCOME_XP = 10;

  @Override
  protected void configure(Rpcs r) {
    r.on("SendGift", SendGift.class, this::sendGift).publicAccess();
    r.on("Welcome", Welcome.class, this::welcome).publicAccess().idempotent();
  }

  private Future<GiftReceipt> sendGift(RpcContext ctx, SendGift args) {
    if (isEmpty(args.from()) || isEmpty(args.to()) || args.value() <= 0) {
      return Future.failedFuture(MeshException.quiet(Code.INVALID_ARGUMENT, "SendGift needs From, To and a Value > 0"));
    }
    GiftSent event = new GiftSent(args.from(), args.to(), args.gift() == null ? "gift" : args.gift(), args.value(),
        args.room());
    return ctx.publish(GiftSent.TOPIC, event, PublishOptions.key(args.to())).map(GiftReceipt::new);
  }

  /** The message id is the user's: a second welcome is the same call, stored and run once. */
  private Future<Welcomed> welcome(RpcContext ctx, Welcome args) {
    if (isEmpty(args.user())) {
      return Future.failedFuture(MeshException.quiet(Code.INVALID_ARGUMENT, "Welcome needs a User"));
    }
    return ctx.callPersistent(ctx.namespace(), "experience", "Grant",
            new ExperienceService.Grant(args.user(), WELCOME_XP, "welcome"),
            PersistentCallOptions.messageId("welcome-" + args.user()))
        .map(Welcomed::new);
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }
}
