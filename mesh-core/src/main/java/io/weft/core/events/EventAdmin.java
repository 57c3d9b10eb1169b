package io.weft.core.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * Looking at topics and their groups, and replaying dead letters: what {@code weft events} does.
 * <pre>{@code
 * EventAdmin admin = EventAdmin.create(vertx, new EventsOptions().setRedis("redis://127.0.0.1:6379"));
 * admin.replayDeadLetters("gift.sent", "demo/leaderboard", 100);   // handled again, by that group only
 * }</pre>
 * A replay appends each dead letter to its stream again, oldest first, with the field
 * {@code group} naming the group it is for (the other groups acknowledge it without handling it)
 * and {@code replayOf} the id it first had, and deletes it from the dead letters. On an ordered
 * subscription a replayed event comes after the newer events of its key: it died once already.
 */
public final class EventAdmin {

  private final EventStore store;
  private final boolean borrowed;

  private EventAdmin(EventStore store, boolean borrowed) {
    this.store = store;
    this.borrowed = borrowed;
  }

  public static EventAdmin create(Vertx vertx, EventsOptions options) {
    return new EventAdmin(EventStore.create(vertx, options), false);
  }

  /** An admin over a store of the caller's, which {@link #close()} leaves open. */
  public static EventAdmin over(EventStore store) {
    return new EventAdmin(store, true);
  }

  /** A group of a stream: its consumers, what it has pending and not read yet, and its dead letters. */
  public record GroupStats(String group, long consumers, long pending, long lag, String lastDeliveredId,
                           long deadLetters) {
  }

  /** A stream's length and its groups. */
  public record StreamStats(String stream, long length, List<GroupStats> groups) {
  }

  /** A dead letter: the entry as it was, why it died, after how many attempts, and its id in the dead-letter stream. */
  public record DeadLetter(String id, String origin, String reason, long attempts, String consumer, long deadAt,
                           StreamEntry entry) {
  }

  public Future<StreamStats> stats(String topic) {
    try {
      return streamStats(EventKeys.topic(topic));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  /** The stats of a service's persistent-call stream. */
  public Future<StreamStats> callStats(String namespace, String service) {
    try {
      return streamStats(EventKeys.calls(namespace, service));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  public Future<StreamStats> streamStats(String stream) {
    return Future.all(store.length(stream), store.groups(stream)).compose(both -> {
      long length = both.resultAt(0);
      List<EventStore.GroupInfo> groups = both.resultAt(1);
      List<Future<Long>> dead = new ArrayList<>();
      for (EventStore.GroupInfo g : groups) {
        dead.add(store.length(EventKeys.deadLetters(stream, g.name())));
      }
      return Future.all(dead).map(counts -> {
        List<GroupStats> out = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
          EventStore.GroupInfo g = groups.get(i);
          out.add(new GroupStats(g.name(), g.consumers(), g.pending(), g.lag(), g.lastDeliveredId(),
              counts.<Long>resultAt(i)));
        }
        return new StreamStats(stream, length, out);
      });
    });
  }

  /** The oldest {@code limit} dead letters of {@code group} on {@code topic}. */
  public Future<List<DeadLetter>> deadLetters(String topic, String group, int limit) {
    try {
      return deadLettersOf(EventKeys.topic(topic), EventKeys.checkGroup(group), limit);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  public Future<List<DeadLetter>> deadLettersOf(String stream, String group, int limit) {
    return store.range(EventKeys.deadLetters(stream, group), "-", Math.max(1, limit)).map(entries -> {
      List<DeadLetter> out = new ArrayList<>();
      for (StreamEntry e : entries) {
        if (!e.deleted()) {
          out.add(new DeadLetter(e.id(), e.text(StreamEntry.ORIGIN), e.text(StreamEntry.REASON),
              e.number(StreamEntry.ATTEMPTS, 0), e.text(StreamEntry.CONSUMER), e.number(StreamEntry.DEAD_AT, 0), e));
        }
      }
      return out;
    });
  }

  /**
   * Replays the oldest {@code limit} dead letters of {@code group} (a service, {@code <namespace>/<service>})
   * on {@code topic}; completes with how many were replayed.
   */
  public Future<Integer> replayDeadLetters(String topic, String group, int limit) {
    try {
      return replay(EventKeys.topic(topic), EventKeys.checkGroup(group), limit, store.options().getMaxLen());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  /** Replays the oldest {@code limit} dead persistent calls of {@code namespace/service}. */
  public Future<Integer> replayDeadCalls(String namespace, String service, int limit) {
    try {
      return replay(EventKeys.calls(namespace, service), EventKeys.group(namespace, service), limit, 0);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Integer> replay(String stream, String group, int limit, long maxLen) {
    return store.range(EventKeys.deadLetters(stream, group), "-", Math.max(1, limit)).compose(entries -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (StreamEntry e : entries) {
        chain = chain.compose(n -> store.replay(stream, group, e.id(), maxLen).map(id -> id == null ? n : n + 1));
      }
      return chain;
    });
  }

  /** Closes the store, unless it was the caller's. */
  public Future<Void> close() {
    return borrowed ? Future.succeededFuture() : store.close();
  }
}
