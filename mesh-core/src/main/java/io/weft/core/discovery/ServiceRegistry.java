package io.weft.core.discovery;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.Map;

/**
 * Where service instances announce themselves and gates find them.
 * <p>
 * Implementations: {@link LocalServiceRegistry} (in-JVM, the embedded default) and
 * {@link EtcdServiceRegistry} (the mesh across processes). Every method may be called from any
 * Vert.x context; handlers run on the context that called {@link #watch} or {@link #watchConfig}.
 * <p>
 * The registry also holds the mesh's <em>runtime config</em>: switches operators flip while the
 * mesh runs, such as {@code disabled/<Namespace>/<ServiceName>[/<Method>]} (see
 * {@link io.weft.core.governance.DisabledRules}). Config keys are relative to
 * {@value #CONFIG_ROOT} (where etcd keeps them, PROTOCOL.md section 9) and hold strings; unlike
 * registrations they are not leased, and stay until deleted, whoever wrote them.
 */
public interface ServiceRegistry {

  /** Where the runtime config keys live in etcd; the config methods take keys relative to it. */
  String CONFIG_ROOT = "/weft/config/";

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

  /**
   * Watches the config keys that start with {@code prefix} ({@code ""} for all of them). The
   * handler is given the whole matching set, key (relative to {@value #CONFIG_ROOT}) to value,
   * sorted by key and unmodifiable: first the set as it is now, then again after every change to
   * it (a batch of changes may come as one call). The future completes once the handler has been
   * given the current set.
   */
  Future<ConfigWatch> watchConfig(String prefix, Handler<Map<String, String>> handler);

  /** The config keys that start with {@code prefix} now, sorted by key. */
  Future<Map<String, String>> config(String prefix);

  /** Sets the config {@code key} to {@code value}, replacing what it held. */
  Future<Void> putConfig(String key, String value);

  /** Deletes the config {@code key}; the future tells whether it was there. */
  Future<Boolean> deleteConfig(String key);

  /**
   * Releases the registry's resources: registrations made through it are removed, its watches
   * stopped. Config keys it wrote stay.
   */
  Future<Void> close();
}
