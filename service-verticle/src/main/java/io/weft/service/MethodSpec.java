package io.weft.service;

import io.weft.core.protocol.Envelope.MethodAccess;
import java.util.Objects;

/**
 * One method of a service as declared in {@link MeshService#configure}: its handler and the
 * flags reported to gates in {@code MSG_S2G_RPC_ACCESS_REPORT}.
 */
public final class MethodSpec {

  private final String name;
  private final Class<?> argsType;
  private final RpcHandler<Object, Object> handler;
  private boolean isPublic;
  private boolean idempotent;
  private boolean ordered;

  @SuppressWarnings("unchecked")
  <A, R> MethodSpec(String name, Class<A> argsType, RpcHandler<A, R> handler) {
    this.name = Objects.requireNonNull(name, "name");
    this.argsType = Objects.requireNonNull(argsType, "argsType");
    this.handler = (RpcHandler<Object, Object>) (RpcHandler<?, ?>) Objects.requireNonNull(handler, "handler");
  }

  /** Callable through external (client-facing) gates, not only from trusted peers. */
  public MethodSpec publicAccess() {
    this.isPublic = true;
    return this;
  }

  /** Safe to run twice: the only methods a gate ever retries on another instance. */
  public MethodSpec idempotent() {
    this.idempotent = true;
    return this;
  }

  /**
   * Calls are handled one at a time in arrival order, per {@code OrderKey} (all calls without
   * a key share one queue).
   */
  public MethodSpec ordered() {
    this.ordered = true;
    return this;
  }

  public String name() {
    return name;
  }

  public Class<?> argsType() {
    return argsType;
  }

  public RpcHandler<Object, Object> handler() {
    return handler;
  }

  public boolean isPublic() {
    return isPublic;
  }

  public boolean isIdempotent() {
    return idempotent;
  }

  public boolean isOrdered() {
    return ordered;
  }

  public MethodAccess access() {
    return new MethodAccess(isPublic, idempotent, ordered);
  }
}
