package io.weft.examples.relay;

import io.vertx.core.Future;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.service.MeshService;
import io.weft.service.RpcContext;
import io.weft.service.Rpcs;

/**
 * The demo service {@code demo/relay}: a service that answers by calling another. Each call goes
 * client -> gate -> relay -> gate -> echo and back; the call to echo carries on the client's trace
 * and never gets more budget than the client's call has left.
 * <p>
 * Run it with {@code "threading": "virtual-thread"} (as {@code conf/local.json} does): {@code Relay}
 * is written as plain blocking code and waits for echo with {@code await()}, which parks only its
 * virtual thread; {@code RelayAsync} returns the call's future and blocks nothing, so it would run
 * on an event loop as well.
 */
public class RelayService extends MeshService {

  public record Text(String text) {
  }

  @Override
  protected void configure(Rpcs r) {
    r.on("Relay", Text.class, this::relay).publicAccess().idempotent();
    r.on("RelayAsync", Text.class, this::relayAsync).publicAccess().idempotent();
  }

  /** Calls {@code echo.Echo} and waits for its reply: synchronous code on a virtual thread. */
  private Future<Text> relay(RpcContext ctx, Text args) {
    if (!Thread.currentThread().isVirtual()) {
      return Future.failedFuture(MeshException.quiet(Code.FAILED_PRECONDITION,
          "Relay waits for echo on its thread: run demo/relay with \"threading\": \"virtual-thread\", or call RelayAsync"));
    }
    // A failed call throws its MeshException, which answers this call with the same code.
    Text echoed = ctx.call("echo", "Echo", args, Text.class).await();
    return Future.succeededFuture(echoed);
  }

  /** The same without blocking: the reply is echo's reply, whenever it comes. */
  private Future<Text> relayAsync(RpcContext ctx, Text args) {
    return ctx.call("echo", "Echo", args, Text.class);
  }
}
