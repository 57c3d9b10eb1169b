package io.weft.service;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.weft.core.client.CallOptions;
import io.weft.core.codec.RawValue;
import java.util.Map;

/**
 * A service whose handlers call another service ({@code test/other}) through their
 * {@link RpcContext}, for the s2s tests. Calls made outside a handler go through
 * {@link MeshService#calls()}, which tests reach from the same package.
 */
public class CallingService extends MeshService {

  /** Calls {@code other.Add} with {@code Args}; {@code TimeoutMs} and {@code Trace} go to its CallOptions when set. */
  public record Forward(Map<String, Object> args, long timeoutMs, String trace) {
  }

  /** Waits {@code Ms} on a timer, then calls {@code other.Add}. */
  public record Later(long ms) {
  }

  /** Where the continuation of a call ran, compared with where its handler started. */
  public record Where(boolean sameContext, boolean sameThread, boolean virtualThread, long sum) {
  }

  @Override
  protected void configure(Rpcs r) {
    r.on("Forward", Forward.class, this::forward);
    r.on("Later", Later.class, this::later);
    r.on("Where", RawValue.class, this::where);
  }

  private Future<Map> forward(RpcContext ctx, Forward f) {
    CallOptions options = CallOptions.DEFAULT.withTimeoutMs(Math.max(0, f.timeoutMs())).withTrace(f.trace());
    return ctx.call("other", "Add", f.args(), Map.class, options);
  }

  private Future<Map> later(RpcContext ctx, Later l) {
    Promise<Map> promise = Promise.promise();
    vertx.setTimer(l.ms(), t -> ctx.call("other", "Add", Map.of("A", 1, "B", 2), Map.class).onComplete(promise));
    return promise.future();
  }

  /** On a virtual thread it waits for the call; elsewhere it continues in the future's callback. */
  private Future<Where> where(RpcContext ctx, RawValue ignored) {
    Context before = Vertx.currentContext();
    Thread thread = Thread.currentThread();
    Future<Map> call = ctx.call("other", "Add", Map.of("A", 40, "B", 2), Map.class);
    if (thread.isVirtual()) {
      Map<?, ?> sum = call.await();
      return Future.succeededFuture(where(before, thread, sum));
    }
    return call.map(sum -> where(before, thread, sum));
  }

  private static Where where(Context before, Thread thread, Map<?, ?> sum) {
    return new Where(Vertx.currentContext() == before, Thread.currentThread() == thread,
        Thread.currentThread().isVirtual(), ((Number) sum.get("Sum")).longValue());
  }
}
