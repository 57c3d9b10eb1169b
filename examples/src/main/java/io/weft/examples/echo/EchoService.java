package io.weft.examples.echo;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.shareddata.LocalMap;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.codec.RawValue;
import io.weft.core.protocol.Envelope.Caller;
import io.weft.service.MeshService;
import io.weft.service.Pushes;
import java.util.Map;
import io.weft.service.RpcContext;
import io.weft.service.Rpcs;

/**
 * The demo service {@code demo/echo}: the smallest useful service, and the one tests and
 * benchmarks call.
 */
public class EchoService extends MeshService {

  public record Sleep(long ms) {
  }

  public record Slept(long slept) {
  }

  public record Fail(String message) {
  }

  public record Whoami(String instance) {
  }

  public record Seq(String key, long n) {
  }

  public record SeqReply(String key, long n, long prev) {
  }

  public record PushMe(String clientId, String text, boolean safe) {
  }

  /** What a handler learns of its call: who made it, its trace, and the budget it has left. */
  public record CallInfo(String trace, long remainingMs, Caller caller) {
  }

  @Override
  protected void configure(Rpcs r) {
    r.on("Echo", RawValue.class, this::echo).publicAccess().idempotent();
    r.on("Sleep", Sleep.class, this::sleep).idempotent();
    r.on("Fail", Fail.class, this::fail);
    r.on("Whoami", RawValue.class, this::whoami).publicAccess().idempotent();
    r.on("Seq", Seq.class, this::seq);
    r.on("PushMe", PushMe.class, this::pushMe).publicAccess();
    r.on("Context", RawValue.class, this::context).idempotent();
  }

  /** Replies with its args, unchanged. */
  private Future<RawValue> echo(RpcContext ctx, RawValue args) {
    return Future.succeededFuture(args);
  }

  /** Waits {@code Ms} on a timer, without blocking its thread. */
  private Future<Slept> sleep(RpcContext ctx, Sleep args) {
    if (args.ms() < 0) {
      return Future.failedFuture(MeshException.quiet(Code.INVALID_ARGUMENT, "Ms must be >= 0"));
    }
    Promise<Slept> promise = Promise.promise();
    if (args.ms() == 0) {
      promise.complete(new Slept(0));
    } else {
      vertx.setTimer(args.ms(), t -> promise.complete(new Slept(args.ms())));
    }
    return promise.future();
  }

  /** Fails with the given message: answered as 13 INTERNAL. */
  private Future<Void> fail(RpcContext ctx, Fail args) {
    return Future.failedFuture(new IllegalStateException(args.message()));
  }

  private Future<Whoami> whoami(RpcContext ctx, RawValue ignored) {
    return Future.succeededFuture(new Whoami(ctx.instance()));
  }

  /** Pushes the call {@code Echoed {Text}} to a client id; answers once the push service took it. */
  private Future<Pushes.PushResult> pushMe(RpcContext ctx, PushMe args) {
    if (args.clientId() == null || args.clientId().isEmpty()) {
      return Future.failedFuture(MeshException.quiet(Code.INVALID_ARGUMENT, "PushMe needs a ClientId"));
    }
    return ctx.push(args.clientId(), "Echoed", Map.of("Text", args.text() == null ? "" : args.text()), args.safe());
  }

  /**
   * Remembers, per key, the last {@code N} this instance handled, and answers it as {@code Prev}:
   * a caller sending 1, 2, 3 with one {@code OrderKey} must see Prev 0, 1, 2.
   */
  private Future<SeqReply> seq(RpcContext ctx, Seq args) {
    LocalMap<String, Long> last = vertx.sharedData().getLocalMap("echo.seq." + ctx.instance());
    Long prev = last.put(args.key(), args.n());
    return Future.succeededFuture(new SeqReply(args.key(), args.n(), prev == null ? 0 : prev));
  }

  /**
   * Tells the caller what this call carries: its {@code Trace}, the budget left
   * ({@code RemainingMs}) and its {@code Caller}; for a call from another service, the caller's
   * trace and what remained of the caller's own budget.
   */
  private Future<CallInfo> context(RpcContext ctx, RawValue ignored) {
    return Future.succeededFuture(new CallInfo(ctx.trace(), ctx.remainingMs(), ctx.caller()));
  }
}
