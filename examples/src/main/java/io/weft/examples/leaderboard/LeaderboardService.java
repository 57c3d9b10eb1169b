package io.weft.examples.leaderboard;

import io.vertx.core.Future;
import io.vertx.core.shareddata.LocalMap;
import io.weft.examples.chat.GiftSent;
import io.weft.service.EventContext;
import io.weft.service.MeshService;
import io.weft.service.RpcContext;
import io.weft.service.Rpcs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The demo service {@code demo/leaderboard}: scores users by the value of the gifts they receive,
 * from {@code gift.sent} events. Its subscription is ordered by recipient: the gifts of one user
 * are counted one at a time, in the order they were sent, whichever instance reads the topic.
 * <p>
 * Scores live in the instance's memory (a sketch: a real leaderboard keeps them in a store, and
 * {@code Top} of another instance knows nothing of them). The topic is {@code config.topic}
 * ({@code gift.sent} by default).
 */
public class LeaderboardService extends MeshService {

  public record Top(int n) {
  }

  public record Entry(String user, long score) {
  }

  public record Board(List<Entry> entries) {
  }

  @Override
  protected void configure(Rpcs r) {
    r.on("Top", Top.class, this::top).publicAccess().idempotent();
    r.subscribe(config().getString("topic", GiftSent.TOPIC), GiftSent.class, this::onGift).orderedBy(GiftSent::to);
  }

  private LocalMap<String, Long> scores(String instance) {
    return vertx.sharedData().getLocalMap("leaderboard.scores." + instance);
  }

  private Future<Void> onGift(EventContext ctx, GiftSent gift) {
    scores(ctx.instance()).merge(gift.to(), gift.value(), Long::sum);
    return Future.succeededFuture();
  }

  private Future<Board> top(RpcContext ctx, Top args) {
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, Long> e : scores(ctx.instance()).entrySet()) {
      entries.add(new Entry(e.getKey(), e.getValue()));
    }
    entries.sort(Comparator.comparingLong(Entry::score).reversed().thenComparing(Entry::user));
    int n = args.n() <= 0 ? 10 : args.n();
    return Future.succeededFuture(new Board(entries.subList(0, Math.min(n, entries.size()))));
  }
}
