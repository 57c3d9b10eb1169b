package io.weft.gate.governance;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.service.MeshService;
import io.weft.service.RpcContext;
import io.weft.service.Rpcs;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service whose instances can be made sick, counting every execution so tests can prove a
 * call ran once. {@code config().sick}: the instance fails as asked; {@code Heal} makes it well.
 */
public class FlakyService extends MeshService {

  /** Executions per call id, across every instance of the JVM. */
  static final Map<String, AtomicInteger> EXECUTIONS = new ConcurrentHashMap<>();
  /** Executions per instance. */
  static final Map<String, AtomicInteger> BY_INSTANCE = new ConcurrentHashMap<>();
  /** Instances made well again by Heal. */
  static final Map<String, Boolean> HEALED = new ConcurrentHashMap<>();

  public record Call(String id, long delayMs, int failures) {
  }

  public record Done(String id, String instance, int execution) {
  }

  @Override
  protected void configure(Rpcs r) {
    r.on("Count", Call.class, this::count);
    r.on("CountIdem", Call.class, this::count).idempotent();
    r.on("Busy", Call.class, (ctx, a) -> sickly(ctx, a, Code.RESOURCE_EXHAUSTED)).idempotent();
    r.on("BusyOnce", Call.class, (ctx, a) -> sickly(ctx, a, Code.RESOURCE_EXHAUSTED));
    r.on("Broken", Call.class, (ctx, a) -> sickly(ctx, a, Code.INTERNAL)).idempotent();
    r.on("FlakyIdem", Call.class, this::flaky).idempotent();
    r.on("Heal", Call.class, (ctx, a) -> {
      HEALED.put(ctx.instance(), true);
      return Future.succeededFuture(new Done(a.id(), ctx.instance(), 0));
    });
  }

  private boolean sick(RpcContext ctx) {
    return config().getBoolean("sick", false) && !HEALED.getOrDefault(ctx.instance(), false);
  }

  private Future<Done> count(RpcContext ctx, Call call) {
    int n = EXECUTIONS.computeIfAbsent(call.id(), k -> new AtomicInteger()).incrementAndGet();
    BY_INSTANCE.computeIfAbsent(ctx.instance(), k -> new AtomicInteger()).incrementAndGet();
    long delay = sick(ctx) ? call.delayMs() : 0;
    Promise<Done> done = Promise.promise();
    if (delay > 0) {
      vertx.setTimer(delay, t -> done.complete(new Done(call.id(), ctx.instance(), n)));
    } else {
      done.complete(new Done(call.id(), ctx.instance(), n));
    }
    return done.future();
  }

  private Future<Done> sickly(RpcContext ctx, Call call, Code code) {
    int n = EXECUTIONS.computeIfAbsent(call.id(), k -> new AtomicInteger()).incrementAndGet();
    BY_INSTANCE.computeIfAbsent(ctx.instance(), k -> new AtomicInteger()).incrementAndGet();
    if (sick(ctx)) {
      return Future.failedFuture(MeshException.quiet(code, "sick instance " + ctx.instance()));
    }
    return Future.succeededFuture(new Done(call.id(), ctx.instance(), n));
  }

  /** Fails the first {@code failures} executions of an id, wherever they run. */
  private Future<Done> flaky(RpcContext ctx, Call call) {
    int n = EXECUTIONS.computeIfAbsent(call.id(), k -> new AtomicInteger()).incrementAndGet();
    BY_INSTANCE.computeIfAbsent(ctx.instance(), k -> new AtomicInteger()).incrementAndGet();
    if (n <= call.failures()) {
      return Future.failedFuture(MeshException.quiet(Code.UNAVAILABLE, "not yet"));
    }
    return Future.succeededFuture(new Done(call.id(), ctx.instance(), n));
  }

  static int executions(String id) {
    AtomicInteger n = EXECUTIONS.get(id);
    return n == null ? 0 : n.get();
  }
}
