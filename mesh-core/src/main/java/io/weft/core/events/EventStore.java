package io.weft.core.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.weft.core.events.impl.Replies;
import io.weft.core.events.impl.Script;
import io.weft.core.events.impl.Scripts;
import io.weft.core.events.impl.SharedRedis;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Events and persistent calls in Redis Streams (PROTOCOL.md section 14): appending entries, the
 * consumer groups and the steps of consuming them, dead letters and leases. Each step is one
 * command or one Lua script ({@link Scripts}), atomic in Redis; every one fails after
 * {@link EventsOptions#getTimeoutMs()} at most.
 * <p>
 * The stores of one Vert.x instance configured for the same Redis share one pooled client, which
 * lives through Redis restarts (a broken connection leaves the pool; the next command opens a new
 * one) and closes with the last store. Futures complete on that client's context: callers with
 * state confined to a context of their own hop back to it.
 * <p>
 * This is for a standalone Redis, not a Redis Cluster: some scripts touch two keys.
 */
public final class EventStore {

  private final Vertx vertx;
  private final EventsOptions options;
  private final Redis redis;
  private final Supplier<Future<Void>> release;
  private volatile boolean closed;

  private EventStore(Vertx vertx, EventsOptions options, Redis redis, Supplier<Future<Void>> release) {
    this.vertx = vertx;
    this.options = new EventsOptions(options);
    this.redis = redis;
    this.release = release;
  }

  /**
   * A store on the Redis {@code options} name, over the client shared by the stores of this
   * Vert.x for that Redis.
   *
   * @throws IllegalArgumentException when {@code options} name no Redis
   */
  public static EventStore create(Vertx vertx, EventsOptions options) {
    if (options.getRedis() == null) {
      throw new IllegalArgumentException("events need Redis: set events.redis");
    }
    SharedRedis.Lease lease = SharedRedis.acquire(vertx, options);
    return new EventStore(vertx, options, lease.redis(), lease.release());
  }

  public EventsOptions options() {
    return options;
  }

  /** A client of its own with one connection, for a consumer's blocking reads; the caller closes it. */
  public Redis newReader() {
    return SharedRedis.reader(vertx, options);
  }

  // ---------------------------------------------------------------- appending

  /**
   * Publishes an event: appends it to {@code weft:events:<topic>}, trimmed to about
   * {@code maxLen} entries. Completes with the entry's id, the event id.
   *
   * @param data the event, MessagePack
   */
  public Future<String> publish(String topic, byte[] data, String publisher, String trace, String key) {
    String stream;
    try {
      stream = EventKeys.topic(topic);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Request xadd = Request.cmd(Command.XADD).arg(stream).arg("MAXLEN").arg("~").arg(options.getMaxLen()).arg("*")
        .arg(StreamEntry.DATA).arg(Objects.requireNonNull(data, "data"))
        .arg(StreamEntry.PUBLISHED_AT).arg(Long.toString(System.currentTimeMillis()));
    optional(xadd, StreamEntry.PUBLISHER, publisher);
    optional(xadd, StreamEntry.TRACE, trace);
    optional(xadd, StreamEntry.KEY, key);
    return send(xadd).map(Response::toString);
  }

  /** The outcome of storing a persistent call: its message id, and whether it was new. */
  public record StoredCall(String messageId, boolean duplicate) {
  }

  /**
   * Stores a persistent call of {@code namespace/service}: appends it to the service's call
   * stream unless a call with this message id is remembered (then it is a duplicate and nothing
   * is stored).
   *
   * @param innerRpc the call, MessagePack {@code [method, args]}
   */
  public Future<StoredCall> storeCall(String namespace, String service, String messageId, byte[] innerRpc,
                                      String publisher, String trace) {
    String stream;
    try {
      stream = EventKeys.calls(namespace, service);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    List<Object> args = new ArrayList<>(List.of(options.getCallDedupeTtlSec(),
        StreamEntry.CALL, innerRpc, StreamEntry.MESSAGE_ID, messageId,
        StreamEntry.PUBLISHED_AT, Long.toString(System.currentTimeMillis())));
    if (publisher != null) {
      args.addAll(List.of(StreamEntry.PUBLISHER, publisher));
    }
    if (trace != null) {
      args.addAll(List.of(StreamEntry.TRACE, trace));
    }
    return run(Scripts.STORE_CALL, List.of(stream, EventKeys.callMarker(stream, messageId)), args)
        .map(r -> new StoredCall(messageId, r.get(0).toInteger() == 0));
  }

  private static void optional(Request request, String field, String value) {
    if (value != null) {
      request.arg(field).arg(value.getBytes(StandardCharsets.UTF_8));
    }
  }

  // ---------------------------------------------------------------- groups

  /**
   * Creates {@code group} on {@code stream} (and the stream, empty, if need be), starting at
   * {@code startId}; a group that exists keeps its place. Completes with true when it was created.
   */
  public Future<Boolean> createGroup(String stream, String group, String startId) {
    return send(Request.cmd(Command.XGROUP).arg("CREATE").arg(stream).arg(group).arg(startId).arg("MKSTREAM"))
        .map(true)
        .recover(err -> err.getMessage() != null && err.getMessage().startsWith("BUSYGROUP")
            ? Future.succeededFuture(false)
            : Future.failedFuture(err));
  }

  /** A group of a stream, as {@code XINFO GROUPS} describes it; {@code lag} is -1 when Redis cannot tell. */
  public record GroupInfo(String name, long consumers, long pending, String lastDeliveredId, long lag) {
  }

  /** The groups of a stream; none when the stream does not exist. */
  public Future<List<GroupInfo>> groups(String stream) {
    return send(Request.cmd(Command.XINFO).arg("GROUPS").arg(stream))
        .map(reply -> {
          List<GroupInfo> groups = new ArrayList<>();
          for (int i = 0; reply != null && i < reply.size(); i++) {
            var g = Replies.map(reply.get(i));
            groups.add(new GroupInfo(Replies.text(g.get("name")), Replies.number(g.get("consumers"), 0),
                Replies.number(g.get("pending"), 0), Replies.text(g.get("last-delivered-id")),
                Replies.number(g.get("lag"), -1)));
          }
          return groups;
        })
        .recover(err -> err.getMessage() != null && err.getMessage().contains("no such key")
            ? Future.succeededFuture(List.of())
            : Future.failedFuture(err));
  }

  /** {@code XLEN}: 0 for a stream that does not exist. */
  public Future<Long> length(String stream) {
    return send(Request.cmd(Command.XLEN).arg(stream)).map(r -> Replies.number(r, 0));
  }

  /** Entries of a stream from {@code start} ({@code -} for the first), at most {@code count}. */
  public Future<List<StreamEntry>> range(String stream, String start, int count) {
    return send(Request.cmd(Command.XRANGE).arg(stream).arg(start).arg("+").arg("COUNT").arg(count))
        .map(Replies::entries);
  }

  // ---------------------------------------------------------------- consuming

  /**
   * {@code XREADGROUP}: up to {@code count} entries not yet delivered to the group, waiting up to
   * {@code blockMs} for some; on {@code reader}, a client the caller owns (see {@link #newReader()}).
   */
  public Future<List<StreamEntry>> read(Redis reader, String stream, String group, String consumer, int count,
                                        long blockMs) {
    Request request = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(group).arg(consumer).arg("COUNT").arg(count)
        .arg("BLOCK").arg(blockMs).arg("STREAMS").arg(stream).arg(">");
    return reader.send(request)
        .timeout(blockMs + options.getTimeoutMs(), TimeUnit.MILLISECONDS)
        .map(Replies::read);
  }

  /** {@code XACK}, and {@code XDEL} too when {@code delete}. */
  public Future<Void> ack(String stream, String group, String id, boolean delete) {
    Future<Response> acked = send(Request.cmd(Command.XACK).arg(stream).arg(group).arg(id));
    return delete ? acked.compose(r -> send(Request.cmd(Command.XDEL).arg(stream).arg(id))).mapEmpty() : acked.mapEmpty();
  }

  /** A persistent call ran: remember it as done under {@code marker}, acknowledge and delete it. */
  public Future<Void> completeCall(String stream, String group, String id, String marker) {
    return run(Scripts.COMPLETE_CALL, List.of(stream, marker), List.of(group, id, options.getCallDedupeTtlSec()))
        .mapEmpty();
  }

  /** Whether the persistent call of this marker ran already. */
  public Future<Boolean> isDone(String marker) {
    return send(Request.cmd(Command.GET).arg(marker)).map(r -> r != null && "done".equals(r.toString()));
  }

  /** Entries taken over from consumers that stopped renewing them, and where the next scan starts. */
  public record Claimed(String nextStart, List<Replies.Counted> entries) {
  }

  /**
   * Takes over up to {@code count} entries pending for at least {@code minIdleMs} in the group,
   * scanning from {@code start}, with their delivery counts.
   */
  public Future<Claimed> autoclaim(String stream, String group, String consumer, long minIdleMs, String start,
                                   int count) {
    return run(Scripts.AUTOCLAIM, List.of(stream), List.of(group, consumer, minIdleMs, start, count))
        .map(r -> new Claimed(r.get(0).toString(), Replies.counted(r.get(1))));
  }

  /**
   * Renews the consumer's hold on {@code ids} (their idle time restarts); completes with the ids it
   * no longer holds.
   */
  public Future<List<String>> extend(String stream, String group, String consumer, Collection<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<Object> args = new ArrayList<>(ids.size() + 2);
    args.add(group);
    args.add(consumer);
    args.addAll(ids);
    return run(Scripts.EXTEND, List.of(stream), args).map(r -> {
      List<String> lost = new ArrayList<>();
      for (int i = 0; r != null && i < r.size(); i++) {
        lost.add(r.get(i).toString());
      }
      return lost;
    });
  }

  /**
   * {@code XCLAIM} of one entry to {@code consumer}, counting a delivery, to try it again;
   * completes with {@code null} when the entry is gone.
   */
  public Future<StreamEntry> claim(String stream, String group, String consumer, String id) {
    return send(Request.cmd(Command.XCLAIM).arg(stream).arg(group).arg(consumer).arg(0).arg(id))
        .map(r -> {
          if (r == null || r.size() == 0 || r.get(0) == null) {
            return null;
          }
          StreamEntry entry = Replies.entry(r.get(0));
          return entry.deleted() ? null : entry;
        });
  }

  /**
   * The outcome of a takeover: {@code busyConsumer} still works on an entry (nothing was
   * claimed); or the entries claimed, and whether nothing else is pending.
   */
  public record Takeover(String busyConsumer, List<Replies.Counted> entries, boolean complete) {
  }

  /** See {@link Scripts#TAKEOVER}. */
  public Future<Takeover> takeover(String stream, String group, String consumer, long minIdleMs, int max,
                                   Collection<String> held) {
    List<Object> args = new ArrayList<>(held.size() + 4);
    args.addAll(List.of(group, consumer, minIdleMs, max));
    args.addAll(held);
    return run(Scripts.TAKEOVER, List.of(stream), args).map(r -> r.get(0).toInteger() == 0
        ? new Takeover(r.get(1).toString(), List.of(), false)
        : new Takeover(null, Replies.counted(r.get(1)), r.get(2).toInteger() == 1));
  }

  /**
   * Moves an entry to the group's dead-letter stream with why and after how many attempts, and
   * acknowledges it (deleting it from the stream too when {@code delete}).
   */
  public Future<Boolean> deadLetter(String stream, String group, String consumer, String id, int attempts,
                                    String reason, boolean delete) {
    return run(Scripts.DEAD_LETTER, List.of(stream, EventKeys.deadLetters(stream, group)),
        List.of(group, id, options.getDeadLetterMaxLen(), reason == null ? "" : reason, attempts, consumer,
            System.currentTimeMillis(), delete ? "1" : "0"))
        .map(r -> r.toInteger() == 1);
  }

  /**
   * Appends a dead letter to its stream again, for {@code group} only, and deletes it; completes
   * with the new entry's id, or {@code null} when the dead letter is gone.
   *
   * @param maxLen trim the stream to about this many entries; 0 not at all
   */
  public Future<String> replay(String stream, String group, String deadLetterId, long maxLen) {
    return run(Scripts.REPLAY, List.of(EventKeys.deadLetters(stream, group), stream),
        List.of(deadLetterId, group, maxLen))
        .map(r -> r == null ? null : r.toString());
  }

  /** Takes the lease for {@code ms} if nobody holds it; completes with true if taken. */
  public Future<Boolean> acquireLease(String key, String token, long ms) {
    return send(Request.cmd(Command.SET).arg(key).arg(token).arg("NX").arg("PX").arg(ms)).map(r -> r != null);
  }

  /** Extends the lease when {@code token} holds it; completes with false when it does not. */
  public Future<Boolean> renewLease(String key, String token, long ms) {
    return run(Scripts.RENEW_LEASE, List.of(key), List.of(token, ms)).map(r -> r.toInteger() == 1);
  }

  public Future<Void> releaseLease(String key, String token) {
    return run(Scripts.RELEASE_LEASE, List.of(key), List.of(token)).mapEmpty();
  }

  /** Deletes the consumers of the group with nothing pending, idle for {@code idleMs}. */
  public Future<Integer> forgetConsumers(String stream, String group, long idleMs) {
    return run(Scripts.FORGET_CONSUMERS, List.of(stream), List.of(group, idleMs)).map(Response::toInteger);
  }

  // ---------------------------------------------------------------- plumbing

  /** Sends one command, within the timeout. */
  public Future<Response> send(Request request) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the event store is closed"));
    }
    return redis.send(request).timeout(options.getTimeoutMs(), TimeUnit.MILLISECONDS);
  }

  private Future<Response> run(Script script, List<String> keys, List<?> args) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the event store is closed"));
    }
    return script.run(redis, keys, args).timeout(options.getTimeoutMs(), TimeUnit.MILLISECONDS);
  }

  /** True once closed. */
  public boolean isClosed() {
    return closed;
  }

  public Future<Void> close() {
    synchronized (this) {
      if (released) {
        return Future.succeededFuture();
      }
      released = true;
      closed = true;
    }
    return release.get();
  }

  private boolean released;
}
