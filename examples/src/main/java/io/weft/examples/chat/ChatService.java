package io.weft.examples.chat;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vertx.core.Future;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.events.PersistentCallOptions;
import io.weft.core.events.PublishOptions;
import io.weft.examples.experience.ExperienceService;
import io.weft.service.MeshService;
import io.weft.service.RpcContext;
import io.weft.service.Rpcs;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The demo service {@code demo/chat}: chat rooms whose lines are pushed live to every member, and
 * gifts that move the leaderboard.
 * <p>
 * {@code Join}, {@code Say} and {@code Leave} act for the caller's logged-in client id (a client
 * logs in first; PROTOCOL.md section 7): each line of a room, a member's join included, is pushed
 * to every member as {@code Message} ({@link ChatMessage}) through the push service. Rooms live in
 * the instance's memory ({@link ChatRooms}): run one instance.
 * <p>
 * {@code SendGift} tells the rest of the mesh without knowing who listens: it publishes
 * {@code gift.sent} (keyed by the recipient), which {@code demo/leaderboard} and
 * {@code demo/experience} each handle. On a mesh without events ({@code "config": {"events":
 * false}}, as {@code conf/local.json}, which has no Redis) it calls {@code leaderboard.Add}
 * instead. Either way a gift sent in a room the sender joined is a line of that room.
 * {@code Welcome} grants a new user experience with a persistent call (events only), stored until
 * {@code demo/experience} runs it and run once per user however often it is sent.
 */
public class ChatService extends MeshService {

  public record SendGift(String from, String to, String gift, long value, String room) {
  }

  /** {@code EventId} of the published event, or (without events) the recipient's new {@code Score}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record GiftReceipt(String eventId, Long score) {
  }

  public record Welcome(String user) {
  }

  public record Welcomed(String messageId) {
  }

  public record Join(String room) {
  }

  public record Joined(String room, List<String> members, List<ChatMessage> history) {
  }

  public record Say(String room, String text) {
  }

  public record Said(long seq) {
  }

  public record Leave(String room) {
  }

  public record Left(String room) {
  }

  /** Experience granted to a user on their first welcome. */
  public static final int WELCOME_XP = 10;
  /** The longest line. */
  public static final int MAX_TEXT = 500;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
  private static final String ROOMS = "chat.rooms";

  private boolean events;

  @Override
  protected void configure(Rpcs r) {
    events = config().getBoolean("events", true);
    r.on("SendGift", SendGift.class, this::sendGift).publicAccess();
    r.on("Welcome", Welcome.class, this::welcome).publicAccess().idempotent();
    r.on("Join", Join.class, this::join).publicAccess();
    r.on("Say", Say.class, this::say).publicAccess();
    r.on("Leave", Leave.class, this::leave).publicAccess();
  }

  private ChatRooms rooms(RpcContext ctx) {
    return vertx.sharedData().<String, ChatRooms>getLocalMap(ROOMS).computeIfAbsent(ctx.instance(), k -> new ChatRooms());
  }

  private Future<Joined> join(RpcContext ctx, Join args) {
    String user = user(ctx);
    String room = name(args.room(), "Room");
    ChatRooms.Joined joined = rooms(ctx).join(room, user, System.currentTimeMillis());
    Future<?> pushed = joined.line() == null ? Future.succeededFuture()
        : ctx.pushMany(joined.members(), ChatMessage.PUSH, joined.line(), false);
    return pushed.map(v -> new Joined(room, joined.members(), joined.history()));
  }

  private Future<Said> say(RpcContext ctx, Say args) {
    String user = user(ctx);
    String room = name(args.room(), "Room");
    if (args.text() == null || args.text().isBlank() || args.text().length() > MAX_TEXT) {
      throw MeshException.quiet(Code.INVALID_ARGUMENT, "Say needs a Text of 1 to " + MAX_TEXT + " characters");
    }
    ChatRooms.Posted posted = rooms(ctx).post(room, user, args.text(), "text", System.currentTimeMillis());
    return ctx.pushMany(posted.members(), ChatMessage.PUSH, posted.line(), false).map(v -> new Said(posted.line().seq()));
  }

  private Future<Left> leave(RpcContext ctx, Leave args) {
    rooms(ctx).leave(name(args.room(), "Room"), user(ctx));
    return Future.succeededFuture(new Left(args.room()));
  }

  private Future<GiftReceipt> sendGift(RpcContext ctx, SendGift args) {
    String caller = ctx.caller() == null ? null : ctx.caller().clientId();
    String from = isEmpty(args.from()) ? caller : args.from();
    if (caller != null && !caller.equals(from)) {
      throw MeshException.quiet(Code.PERMISSION_DENIED, caller + " cannot send gifts from " + from);
    }
    if (isEmpty(from) || isEmpty(args.to()) || args.value() <= 0) {
      return Future.failedFuture(MeshException.quiet(Code.INVALID_ARGUMENT, "SendGift needs From, To and a Value > 0"));
    }
    String gift = args.gift() == null ? "gift" : args.gift();
    GiftSent event = new GiftSent(from, args.to(), gift, args.value(), args.room());
    Future<GiftReceipt> receipt = events
        ? ctx.publish(GiftSent.TOPIC, event, PublishOptions.key(args.to())).map(id -> new GiftReceipt(id, null))
        : ctx.call("leaderboard", "Add", Map.of("User", args.to(), "Score", args.value()), Map.class)
            .map(entry -> new GiftReceipt(null, ((Number) entry.get("Score")).longValue()));
    return receipt.compose(r -> announce(ctx, event).map(r));
  }

  /** A gift sent in a room its sender joined is a line of that room, pushed once the gift counted. */
  private Future<?> announce(RpcContext ctx, GiftSent gift) {
    if (gift.room() == null || !rooms(ctx).isMember(gift.room(), gift.from())) {
      return Future.succeededFuture();
    }
    String text = gift.gift() + " (" + gift.value() + ") to " + gift.to();
    ChatRooms.Posted posted = rooms(ctx).post(gift.room(), gift.from(), text, "gift", System.currentTimeMillis());
    return ctx.pushMany(posted.members(), ChatMessage.PUSH, posted.line(), false);
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

  /** The caller's logged-in client id: rooms are joined by users, not connections. */
  static String user(RpcContext ctx) {
    String user = ctx.caller() == null ? null : ctx.caller().clientId();
    if (isEmpty(user)) {
      throw MeshException.quiet(Code.FAILED_PRECONDITION, "log in first: " + ctx.method() + " acts for a logged-in client id");
    }
    return user;
  }

  private static String name(String value, String key) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw MeshException.quiet(Code.INVALID_ARGUMENT, key + " must be 1 to 32 letters, digits, '_', '.' or '-'");
    }
    return value;
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }
}
