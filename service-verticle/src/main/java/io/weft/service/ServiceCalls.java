package io.weft.service;

import io.vertx.core.Future;
import io.weft.core.client.CallOptions;
import io.weft.core.events.PersistentCallOptions;
import io.weft.core.events.PublishOptions;

/**
 * Calls from a service to other services, through the gates connected to its {@link ServiceHost}
 * ({@code MSG_C2G_RPC_ROUTE} on a gate link, PROTOCOL.md section 6). Calls are spread round robin
 * over the host's open gate links.
 * <p>
 * Inside a handler, call through its {@link RpcContext}: the call carries on the handler's trace
 * ({@code Trace}) and never gets more budget than the handler has left. Outside a handler (a
 * timer, {@link MeshService#setUp()}), {@link MeshService#calls()} makes calls with no parent.
 * <p>
 * Every call has exactly one outcome: the reply, decoded as {@code replyType} ({@code byte[]} or
 * {@link io.weft.core.codec.RawValue} for the raw MessagePack, {@code Void} to ignore it), or a
 * {@link io.weft.core.MeshException} with the code the gate or the callee answered; 4 when the
 * budget runs out (at once, without sending, when nothing is left of it); 14 when the host has no
 * open gate link, or the link the call went out on is lost. The future completes on the caller's
 * context, so an event-loop verticle continues on its own thread and a virtual-thread verticle can
 * {@code await()} it. A failure returned by a handler keeps its code, so a callee's 14 or 4 reaches
 * the original caller as such.
 * <p>
 * Methods may be called from any thread.
 */
public interface ServiceCalls {

  /** The calling service's namespace, where {@link #call(String, String, Object, Class)} looks. */
  String namespace();

  /**
   * Calls {@code namespace/service.method} with {@code args}.
   *
   * @param options budget (capped by what the caller has left; {@code 0} means the host's
   *                {@code callTimeoutMs}), routing keys, tags, and a trace that replaces the caller's
   */
  <T> Future<T> call(String namespace, String service, String method, Object args, Class<T> replyType,
                     CallOptions options);

  default <T> Future<T> call(String namespace, String service, String method, Object args, Class<T> replyType) {
    return call(namespace, service, method, args, replyType, CallOptions.DEFAULT);
  }

  /** Calls {@code service.method} in the caller's own namespace. */
  default <T> Future<T> call(String service, String method, Object args, Class<T> replyType) {
    return call(namespace(), service, method, args, replyType, CallOptions.DEFAULT);
  }

  /** Calls {@code service.method} in the caller's own namespace, with {@code options}. */
  default <T> Future<T> call(String service, String method, Object args, Class<T> replyType, CallOptions options) {
    return call(namespace(), service, method, args, replyType, options);
  }

  /**
   * A one-way call ({@code Rid} 0): nothing answers it, not even an error. It is dropped when the
   * host has no open gate link or the caller's budget has run out.
   *
   * @throws io.weft.core.MeshException 3 when {@code args} cannot be encoded
   */
  void send(String namespace, String service, String method, Object args, CallOptions options);

  default void send(String namespace, String service, String method, Object args) {
    send(namespace, service, method, args, CallOptions.DEFAULT);
  }

  /** A one-way call of {@code service.method} in the caller's own namespace. */
  default void send(String service, String method, Object args) {
    send(namespace(), service, method, args, CallOptions.DEFAULT);
  }

  /**
   * Publishes {@code event} to {@code topic} (Redis stream {@code weft:events:<topic>}): every
   * service subscribed to the topic handles it, each on one of its instances, at least once. The
   * future completes once Redis stored the event, with its id; it fails with 3 when the topic is
   * not a valid name or the event cannot be encoded, and with 14 when Redis cannot be reached or
   * the service has none ({@code events.redis} not set).
   */
  default Future<String> publish(String topic, Object event, PublishOptions options) {
    return Future.failedFuture(io.weft.core.MeshException.quiet(io.weft.core.Code.UNAVAILABLE,
        "events need Redis: set events.redis"));
  }

  default Future<String> publish(String topic, Object event) {
    return publish(topic, event, PublishOptions.DEFAULT);
  }

  /**
   * A persistent one-way call: stored in the target service's call stream
   * ({@code weft:calls:<namespace>/<service>}), then run by one of its instances whenever one is
   * up, as a one-way call (no reply). The future completes once the call is stored, with its
   * message id. At least once, de-duplicated by message id: a call stored twice with the same id
   * is stored once, and a call whose run succeeded is not run again (see PROTOCOL.md section 14).
   * Fails with 14 when Redis cannot be reached or the caller has none.
   */
  default Future<String> callPersistent(String namespace, String service, String method, Object args,
                                        PersistentCallOptions options) {
    return Future.failedFuture(io.weft.core.MeshException.quiet(io.weft.core.Code.UNAVAILABLE,
        "events need Redis: set events.redis"));
  }

  default Future<String> callPersistent(String namespace, String service, String method, Object args) {
    return callPersistent(namespace, service, method, args, PersistentCallOptions.DEFAULT);
  }

  /** A persistent call of {@code service.method} in the caller's own namespace. */
  default Future<String> callPersistent(String service, String method, Object args) {
    return callPersistent(namespace(), service, method, args, PersistentCallOptions.DEFAULT);
  }

  /** The namespace of the push service this caller pushes through. */
  default String pushNamespace() {
    return Pushes.DEFAULT_NAMESPACE;
  }

  /**
   * Pushes the call {@code method(args)} to {@code clientId} through the push service: the future
   * completes once the push service has taken it (stored first, when {@code safe}), with the safe
   * push's id and whether a gate holding the client took it. Safe pushes not acknowledged are sent
   * again at the client's next login: at least once, so clients de-duplicate by push id.
   */
  default Future<Pushes.PushResult> push(String clientId, String method, Object args, boolean safe) {
    byte[] innerRpc;
    try {
      innerRpc = io.weft.core.codec.ArgsCodec.encodeInnerRpc(method, args);
    } catch (io.weft.core.codec.CodecException e) {
      return Future.failedFuture(io.weft.core.MeshException.of(io.weft.core.Code.INVALID_ARGUMENT, e.getMessage()));
    }
    return call(pushNamespace(), Pushes.SERVICE, "Push", new Pushes.Push(clientId, innerRpc, safe), Pushes.PushResult.class);
  }

  /** {@link #push} to many client ids at once. */
  default Future<Pushes.PushManyResult> pushMany(java.util.List<String> clientIds, String method, Object args,
                                                 boolean safe) {
    byte[] innerRpc;
    try {
      innerRpc = io.weft.core.codec.ArgsCodec.encodeInnerRpc(method, args);
    } catch (io.weft.core.codec.CodecException e) {
      return Future.failedFuture(io.weft.core.MeshException.of(io.weft.core.Code.INVALID_ARGUMENT, e.getMessage()));
    }
    return call(pushNamespace(), Pushes.SERVICE, "PushMany", new Pushes.PushMany(clientIds, innerRpc, safe),
        Pushes.PushManyResult.class);
  }
}
