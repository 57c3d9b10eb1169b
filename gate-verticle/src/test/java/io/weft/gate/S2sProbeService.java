package io.weft.gate;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.weft.core.codec.RawValue;
import io.weft.service.MeshService;
import io.weft.service.RpcContext;
import io.weft.service.Rpcs;
import java.util.Map;

/** A service that calls other services through the gate, for the s2s tests: a relay with a report. */
public class S2sProbeService extends MeshService {

  /** Calls {@code Service.Method} with {@code Args} and answers its reply. */
  public record Forward(String service, String method, Map<String, Object> args) {
  }

  /** What this handler saw of its call, and what {@code echo.Context} saw of the call it made. */
  public record Seen(String trace, long remainingMs, Map<String, Object> callee) {
  }

  /** Where the continuation of a call to echo ran, compared with where the handler started. */
  public record Where(boolean sameContext, boolean sameThread, boolean eventLoop) {
  }

  @Override
  protected void configure(Rpcs r) {
    r.on("Forward", Forward.class, this::forward);
    r.on("Context", RawValue.class, this::context);
    r.on("Where", RawValue.class, this::where);
  }

  private Future<RawValue> forward(RpcContext ctx, Forward f) {
    return ctx.call(f.service(), f.method(), f.args(), RawValue.class);
  }

  @SuppressWarnings("unchecked")
  private Future<Seen> context(RpcContext ctx, RawValue ignored) {
    long remaining = ctx.remainingMs();
    return ctx.call("echo", "Context", Map.of(), Map.class)
        .map(callee -> new Seen(ctx.trace(), remaining, (Map<String, Object>) callee));
  }

  private Future<Where> where(RpcContext ctx, RawValue ignored) {
    Context before = Vertx.currentContext();
    Thread thread = Thread.currentThread();
    return ctx.call("echo", "Echo", Map.of(), Map.class).map(reply -> new Where(Vertx.currentContext() == before,
        Thread.currentThread() == thread, Context.isOnEventLoopThread()));
  }
}
