package io.weft.service;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.codec.RawValue;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service the host tests run: one method per behaviour under test.
 * <p>
 * What handlers did is kept in static, thread-safe state, since a host runs several instances of
 * the service (unordered handlers and ordered workers). Tests use keys and ids of their own, so
 * they do not see each other's traces.
 */
public class TestService extends MeshService {

  public record Add(long a, long b) {
  }

  public record Sum(long sum) {
  }

  public record Fail(String message) {
  }

  public record Slow(long ms) {
  }

  public record Slept(long ms) {
  }

  /** Args of {@code Append} and {@code Note}: one value for the sequence {@code Key}. */
  public record Entry(String key, long value) {
  }

  public record Id(String id) {
  }

  /** What a handler learns of its call through {@link RpcContext}. */
  public record Seen(String method, String trace, String orderKey, String gate, String connId, String clientId,
                     String client, long remainingMs, boolean oneWay, String instance) {
  }

  /** The ids of every {@code Record} call that ran, in the order they ran. */
  static final Queue<String> RECORDED = new ConcurrentLinkedQueue<>();

  private static final Map<String, Queue<Long>> COMPLETED = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> RUNNING = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> MAX_RUNNING = new ConcurrentHashMap<>();

  @Override
  protected void configure(Rpcs r) {
    r.on("Echo", RawValue.class, (ctx, args) -> Future.succeededFuture(args)).publicAccess().idempotent();
    r.on("Add", Add.class, (ctx, args) -> Future.succeededFuture(new Sum(args.a() + args.b()))).idempotent();
    r.on("Fail", Fail.class, (ctx, args) -> Future.failedFuture(new IllegalStateException(args.message())));
    r.on("Throw", Fail.class, (ctx, args) -> {
      throw new IllegalArgumentException(args.message());
    });
    r.on("Panic", Fail.class, (ctx, args) -> {
      throw new AssertionError(args.message());
    });
    r.on("Coded", RawValue.class, (ctx, args) ->
        Future.failedFuture(MeshException.quiet(Code.RESOURCE_EXHAUSTED, "too many coded calls")));
    r.on("Null", RawValue.class, (ctx, args) -> null);
    r.on("Nothing", RawValue.class, (ctx, args) -> Future.succeededFuture());
    r.on("Slow", Slow.class, this::slow);
    r.on("Append", Entry.class, this::append).ordered();
    r.on("Note", Entry.class, this::append);
    r.on("Record", Id.class, this::record);
    r.on("Context", RawValue.class, this::context).publicAccess();
  }

  /** The values of {@code Append}/{@code Note} calls for {@code key}, in the order they completed. */
  static List<Long> completed(String key) {
    return List.copyOf(COMPLETED.getOrDefault(key, new ConcurrentLinkedQueue<>()));
  }

  /** The most {@code Append}/{@code Note} calls for {@code key} that ever ran at the same time. */
  static int maxRunning(String key) {
    AtomicInteger max = MAX_RUNNING.get(key);
    return max == null ? 0 : max.get();
  }

  private Future<Slept> slow(RpcContext ctx, Slow args) {
    Promise<Slept> promise = Promise.promise();
    vertx.setTimer(Math.max(1, args.ms()), t -> promise.complete(new Slept(args.ms())));
    return promise.future();
  }

  /** Runs for 1-5 ms on a timer, so calls that are not serialized overlap and finish out of order. */
  private Future<Long> append(RpcContext ctx, Entry args) {
    int running = RUNNING.computeIfAbsent(args.key(), k -> new AtomicInteger()).incrementAndGet();
    MAX_RUNNING.computeIfAbsent(args.key(), k -> new AtomicInteger()).accumulateAndGet(running, Math::max);
    Promise<Long> promise = Promise.promise();
    vertx.setTimer(1 + ThreadLocalRandom.current().nextInt(5), t -> {
      RUNNING.get(args.key()).decrementAndGet();
      COMPLETED.computeIfAbsent(args.key(), k -> new ConcurrentLinkedQueue<>()).add(args.value());
      promise.complete(args.value());
    });
    return promise.future();
  }

  private Future<Id> record(RpcContext ctx, Id args) {
    RECORDED.add(args.id());
    return Future.succeededFuture(args);
  }

  private Future<Seen> context(RpcContext ctx, RawValue ignored) {
    var caller = ctx.caller();
    return Future.succeededFuture(new Seen(ctx.method(), ctx.trace(), ctx.orderKey(),
        caller == null ? null : caller.gate(), caller == null ? null : caller.connId(),
        caller == null ? null : caller.clientId(), caller == null ? null : caller.client(),
        ctx.remainingMs(), ctx.oneWay(), ctx.instance()));
  }
}
