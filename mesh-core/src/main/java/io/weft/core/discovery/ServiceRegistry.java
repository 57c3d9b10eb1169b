package io.weft.core.discovery;

import io.vertx.core.Future;
import io.vertx.core.Handler;

/**
 * Where service instances announce themselves and gates find them.
 * <p>
 * Implementations: {@link LocalServiceRegistry} (in-JVM, the embedded default) and
 * {@link EtcdServiceRegistry} (the mesh across processes). Every method may be called from any
 * Vert.x context; handlers run on the context that called {@link #watch}.
 */
public interface ServiceRegistry {

  /** Registers an instance; it stays registered until the returned registration is deregistered. */
  Future<Registration> register(ServiceInstance instance);

  /** Registers a gate, for operators and tools; gates themselves need no other gate. */
  Future<Registration> registerGate(GateInstance gate);

  /** The gates registered now. */
  Future<java.util.List<GateInstance>> gates();

  /**
   * Watches all services. The handler first receives {@code UP} for every instance registered now,
   * then every change, in order.
   */
  Future<ServiceWatch> watch(Handler<ServiceEvent> handler);

  /** Releases the registry's resources (registrations made through it are removed). */
  Future<Void> close();
}
