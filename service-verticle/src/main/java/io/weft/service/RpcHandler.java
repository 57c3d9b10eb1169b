package io.weft.service;

import io.vertx.core.Future;

/**
 * Handles one method of a service. The returned future's value is the reply; a failure becomes
 * the error answered to the caller ({@link io.weft.core.MeshException} keeps its code, anything
 * else is answered as 13 INTERNAL with its message).
 *
 * @param <A> the args type, mapped from MessagePack by Jackson
 * @param <R> the reply type
 */
@FunctionalInterface
public interface RpcHandler<A, R> {

  Future<R> handle(RpcContext ctx, A args) throws Exception;
}
