package io.weft.gate.security;

import io.vertx.core.Future;
import io.weft.core.codec.RawValue;
import io.weft.service.MeshService;
import io.weft.service.RpcContext;
import io.weft.service.Rpcs;
import java.util.Map;

/** A public method that calls a method that is not (echo.Context): s2s calls are not access-checked. */
public class GuardedService extends MeshService {

  @Override
  protected void configure(Rpcs r) {
    r.on("CallPrivate", RawValue.class, this::callPrivate).publicAccess();
  }

  private Future<RawValue> callPrivate(RpcContext ctx, RawValue ignored) {
    return ctx.call("echo", "Context", Map.of(), RawValue.class);
  }
}
