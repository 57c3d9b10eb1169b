package io.weft.examples.friends;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.codec.RawValue;
import io.weft.core.session.SessionDirectories;
import io.weft.core.session.SessionDirectory;
import io.weft.core.session.SessionOptions;
import io.weft.service.MeshService;
import io.weft.service.RpcContext;
import io.weft.service.Rpcs;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The demo service {@code demo/friends}, acting for the caller's logged-in client id:
 * <ul>
 *   <li>{@code Add {User}}: asks {@code User} to be friends (pushed to them as
 *       {@code FriendRequest {From}}), or accepts their request (pushed as {@code FriendAdded {User}});
 *       answers {@code Status} {@code requested} or {@code friends};</li>
 *   <li>{@code List}: {@code Friends} ({@code User}, {@code Online}) and the {@code Requests}
 *       received;</li>
 *   <li>{@code Hello}: the caller is online: {@code FriendOnline {User}} is pushed to each of its
 *       friends (a page calls it once logged in).</li>
 * </ul>
 * A friend is online while the session directory binds its client id, that is while it is logged
 * in at a gate: {@code config.sessions} names the directory, the gates' and push service's
 * ({@code {"type": "local"}} by default, as in {@code conf/local.json}). Friendships live in the
 * instance's memory ({@link FriendGraph}): run one instance.
 */
public class FriendsService extends MeshService {

  public record Add(String user) {
  }

  public record Added(String user, String status) {
  }

  public record Friend(String user, boolean online) {
  }

  public record Friends(List<Friend> friends, List<String> requests) {
  }

  public record Greeted(int friends) {
  }

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
  private static final String GRAPHS = "friends.graphs";

  private SessionDirectory sessions;

  @Override
  protected void configure(Rpcs r) {
    r.on("Add", Add.class, this::add).publicAccess();
    r.on("List", RawValue.class, this::list).publicAccess().idempotent();
    r.on("Hello", RawValue.class, this::hello).publicAccess();
  }

  @Override
  protected Future<?> setUp() {
    sessions = SessionDirectories.create(vertx, new SessionOptions(config().getJsonObject("sessions", new JsonObject())));
    return Future.succeededFuture();
  }

  @Override
  protected Future<?> tearDown() {
    return sessions == null ? Future.succeededFuture() : sessions.close();
  }

  private FriendGraph graph(RpcContext ctx) {
    return vertx.sharedData().<String, FriendGraph>getLocalMap(GRAPHS).computeIfAbsent(ctx.instance(), k -> new FriendGraph());
  }

  private Future<Added> add(RpcContext ctx, Add args) {
    String user = user(ctx);
    if (args.user() == null || !NAME.matcher(args.user()).matches()) {
      throw MeshException.quiet(Code.INVALID_ARGUMENT, "User must be 1 to 32 letters, digits, '_', '.' or '-'");
    }
    FriendGraph.Added added = graph(ctx).add(user, args.user());
    Future<?> pushed = added == FriendGraph.Added.REQUESTED
        ? ctx.push(args.user(), "FriendRequest", Map.of("From", user), false)
        : ctx.push(args.user(), "FriendAdded", Map.of("User", user), false);
    return pushed.map(v -> new Added(args.user(), added == FriendGraph.Added.REQUESTED ? "requested" : "friends"));
  }

  private Future<Friends> list(RpcContext ctx, RawValue ignored) {
    String user = user(ctx);
    List<String> friends = graph(ctx).friends(user);
    List<String> requests = graph(ctx).requests(user);
    Future<Map<String, io.weft.core.session.Session>> online = friends.isEmpty()
        ? Future.succeededFuture(Map.of()) : sessions.lookupAll(friends);
    return online.map(bound -> new Friends(
        friends.stream().map(f -> new Friend(f, bound.containsKey(f))).toList(), requests));
  }

  private Future<Greeted> hello(RpcContext ctx, RawValue ignored) {
    String user = user(ctx);
    List<String> friends = graph(ctx).friends(user);
    if (friends.isEmpty()) {
      return Future.succeededFuture(new Greeted(0));
    }
    return ctx.pushMany(friends, "FriendOnline", Map.of("User", user), false).map(r -> new Greeted(friends.size()));
  }

  /** The caller's logged-in client id. */
  private static String user(RpcContext ctx) {
    String user = ctx.caller() == null ? null : ctx.caller().clientId();
    if (user == null || user.isEmpty()) {
      throw MeshException.quiet(Code.FAILED_PRECONDITION, "log in first: " + ctx.method() + " acts for a logged-in client id");
    }
    return user;
  }
}
