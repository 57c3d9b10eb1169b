package io.weft.launcher;

import io.vertx.core.Future;
import io.weft.core.codec.RawValue;
import io.weft.service.MeshService;
import io.weft.service.RpcContext;
import io.weft.service.Rpcs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells its callers the {@code Trace} its handlers saw, and logs a line while handling. */
public class TracedService extends MeshService {

  private static final Logger log = LoggerFactory.getLogger(TracedService.class);

  /** The trace this handler saw, and that of the call it made ({@code Relay}). */
  public record Seen(String trace, String inner) {
  }

  @Override
  protected void configure(Rpcs r) {
    r.on("Trace", RawValue.class, this::trace).publicAccess();
    r.on("Relay", RawValue.class, this::relay).publicAccess();
  }

  private Future<Seen> trace(RpcContext ctx, RawValue args) {
    log.info("handling Trace");
    return Future.succeededFuture(new Seen(ctx.trace(), null));
  }

  /** Calls {@code Trace} of this service: an s2s call through the gate. */
  private Future<Seen> relay(RpcContext ctx, RawValue args) {
    return ctx.call("traced", "Trace", new Seen(null, null), Seen.class).map(inner -> new Seen(ctx.trace(), inner.trace()));
  }
}
