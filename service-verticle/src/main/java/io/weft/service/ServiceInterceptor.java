package io.weft.service;

import io.vertx.core.Future;

/**
 * One link of the chain around each call's handler on a service instance: metrics, tracing,
 * logging, checks of the service's own. A link calls {@code next.proceed()} to run the rest of
 * the chain and the handler, and may look at or replace the outcome; it may also answer without
 * calling {@code next} (fail with a {@link io.weft.core.MeshException} to choose the code).
 * <p>
 * Links run on the business verticle's context, in the order they were added: the service's own
 * (declared in {@link MeshService#configure} with {@link Rpcs#intercept}) inside the host's.
 */
@FunctionalInterface
public interface ServiceInterceptor {

  Future<Object> intercept(RpcContext ctx, Object args, Next next) throws Exception;

  /** The rest of the chain. */
  @FunctionalInterface
  interface Next {
    Future<Object> proceed() throws Exception;
  }
}
