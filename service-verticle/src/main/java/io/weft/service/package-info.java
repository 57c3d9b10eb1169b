/**
 * Writing and hosting services: extend {@link io.weft.service.MeshService}, declare methods in
 * {@link io.weft.service.MeshService#configure configure} with {@link io.weft.service.Rpcs}, and
 * run it in a {@link io.weft.service.ServiceHost}, which listens for gates, registers the instance
 * and dispatches calls to the service's verticles. A service calls other services through the
 * gates connected to its host ({@link io.weft.service.ServiceCalls}): from a handler with its
 * {@link io.weft.service.RpcContext}, elsewhere with {@link io.weft.service.MeshService#calls()}.
 * Services also publish events and make persistent calls through the same
 * {@link io.weft.service.ServiceCalls}, and subscribe to topics in {@code configure}
 * ({@link io.weft.service.Rpcs#subscribe}, handled with an {@link io.weft.service.EventContext});
 * events live in Redis Streams ({@link io.weft.core.events}).
 */
package io.weft.service;
