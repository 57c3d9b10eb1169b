package io.weft.core.discovery;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.weft.core.discovery.impl.ConfigKeys;
import io.weft.core.discovery.impl.ConfigSnapshots;
import io.weft.core.discovery.impl.EtcdClient;
import io.weft.core.discovery.impl.EtcdKeys;
import io.weft.core.discovery.impl.EtcdWatch;
import io.weft.core.discovery.impl.LeasedKey;
import io.weft.core.discovery.impl.ServiceEvents;
import io.weft.core.discovery.impl.SharedVertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The registry of a mesh spread over processes, kept in etcd with the layout of PROTOCOL.md
 * section 9: {@code /weft/services/<Namespace>/<ServiceName>/<host:port>} and
 * {@code /weft/gates/<host:port>}, each under a lease of {@link RegistryOptions#getLeaseTtlSec()};
 * the runtime config, without lease, under {@code /weft/config/}.
 * <p>
 * A registration lasts until it is deregistered or the process dies: when its lease is lost (etcd
 * restarted, the process paused past the TTL, the key deleted) it is granted a new one and put
 * again. A watch survives etcd failures and restarts without losing an event, and re-lists every
 * {@link RegistryOptions#getRelistMs()} (a config watch: {@link RegistryOptions#getConfigRelistMs()})
 * to reconcile whatever a watch may have missed.
 * <p>
 * jetcd runs on the application's Vert.x. One registry holds one etcd client; {@link #close()}
 * releases it.
 */
public final class EtcdServiceRegistry implements ServiceRegistry {

  private static final Logger log = LoggerFactory.getLogger(EtcdServiceRegistry.class);

  private final Vertx vertx;
  private final RegistryOptions options;
  private final EtcdClient etcd;
  private final Set<Registration> registrations = ConcurrentHashMap.newKeySet();
  private final Set<EtcdWatch> watches = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  private Future<Void> closing;

  private EtcdServiceRegistry(Vertx vertx, RegistryOptions options) {
    this.vertx = vertx;
    this.options = new RegistryOptions(options);
    ClientBuilder builder;
    try {
      builder = Client.builder()
          .endpoints(options.getEndpoints().toArray(String[]::new))
          .vertx(new SharedVertx(vertx))
          // Fail calls at once while etcd is unreachable instead of queueing them: every caller
          // here retries with its own backoff, or reports.
          .waitForReady(false);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("registry.endpoints " + options.getEndpoints() + ": " + e.getMessage(), e);
    }
    this.etcd = new EtcdClient(builder::build);
  }

  /**
   * A registry on the etcd cluster at {@code options.getEndpoints()}; it connects on first use.
   *
   * @throws IllegalArgumentException if an endpoint is not a URL such as {@code http://127.0.0.1:2379}
   */
  public static EtcdServiceRegistry create(Vertx vertx, RegistryOptions options) {
    return new EtcdServiceRegistry(vertx, options);
  }

  @Override
  public Future<Registration> register(ServiceInstance instance) {
    try {
      return hold(EtcdKeys.service(instance), instance.toJson().encode());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Registration> registerGate(GateInstance gate) {
    try {
      return hold(EtcdKeys.gate(gate), gate.toJson().encode());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Registration> hold(String key, String value) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("registry closed"));
    }
    return LeasedKey.register(vertx.getOrCreateContext(), etcd, key, value, options.getLeaseTtlSec(),
            registrations::remove)
        .compose(registration -> this.<Registration>track(registrations, registration, registration::deregister));
  }

  @Override
  public Future<List<GateInstance>> gates() {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("registry closed"));
    }
    GetOption all = GetOption.builder().isPrefix(true).build();
    return etcd.call(vertx.getOrCreateContext(),
            client -> client.getKVClient().get(EtcdKeys.bytes(EtcdKeys.GATES), all))
        .map(listing -> {
          List<GateInstance> gates = new ArrayList<>();
          for (KeyValue kv : listing.getKvs()) {
            try {
              gates.add(EtcdKeys.parseGate(EtcdKeys.string(kv.getValue())));
            } catch (IllegalArgumentException e) {
              log.warn("Ignoring " + EtcdKeys.string(kv.getKey()) + ": " + e.getMessage());
            }
          }
          return gates;
        });
  }

  @Override
  public Future<ServiceWatch> watch(Handler<ServiceEvent> handler) {
    return whenOpen(() -> startWatch(EtcdKeys.SERVICES, options.getRelistMs(), new ServiceEvents(handler)))
        .<ServiceWatch>map(watch -> watch::close);
  }

  @Override
  public Future<ConfigWatch> watchConfig(String prefix, Handler<Map<String, String>> handler) {
    return whenOpen(() -> startWatch(EtcdKeys.CONFIG + ConfigKeys.checkPrefix(prefix), options.getConfigRelistMs(),
        new ConfigSnapshots(EtcdKeys.CONFIG, handler)))
        .<ConfigWatch>map(watch -> watch::close);
  }

  private Future<EtcdWatch> startWatch(String prefix, long relistMs, EtcdWatch.Listener listener) {
    return EtcdWatch.start(vertx.getOrCreateContext(), etcd, prefix, relistMs, listener, watches::remove)
        .compose(watch -> this.<EtcdWatch>track(watches, watch, watch::close));
  }

  @Override
  public Future<Map<String, String>> config(String prefix) {
    return whenOpen(() -> {
      ByteSequence key = EtcdKeys.bytes(EtcdKeys.CONFIG + ConfigKeys.checkPrefix(prefix));
      GetOption all = GetOption.builder().isPrefix(true).build();
      return etcd.call(vertx.getOrCreateContext(), client -> client.getKVClient().get(key, all));
    }).map(listing -> {
      Map<String, String> config = new TreeMap<>();
      for (KeyValue kv : listing.getKvs()) {
        config.put(EtcdKeys.string(kv.getKey()).substring(EtcdKeys.CONFIG.length()), EtcdKeys.string(kv.getValue()));
      }
      return Collections.unmodifiableMap(config);
    });
  }

  @Override
  public Future<Void> putConfig(String key, String value) {
    return whenOpen(() -> {
      ByteSequence etcdKey = EtcdKeys.bytes(EtcdKeys.config(key));
      if (value == null) {
        throw new IllegalArgumentException("config " + key + ": the value must not be null");
      }
      return etcd.call(vertx.getOrCreateContext(), client -> client.getKVClient().put(etcdKey, EtcdKeys.bytes(value)));
    }).mapEmpty();
  }

  @Override
  public Future<Boolean> deleteConfig(String key) {
    return whenOpen(() -> {
      ByteSequence etcdKey = EtcdKeys.bytes(EtcdKeys.config(key));
      return etcd.call(vertx.getOrCreateContext(), client -> client.getKVClient().delete(etcdKey));
    }).map(deleted -> deleted.getDeleted() > 0);
  }

  /** Runs {@code action} unless the registry is closed; a bad argument it refuses fails the future. */
  private <T> Future<T> whenOpen(Supplier<Future<T>> action) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("registry closed"));
    }
    try {
      return action.get();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Keeps {@code item} for {@link #close()}, or undoes it if the registry closed meanwhile. Adding
   * before reading {@code closed} (close() does the reverse) means one of the two always sees it.
   */
  private <T> Future<T> track(Set<? super T> items, T item, Supplier<Future<Void>> undo) {
    items.add(item);
    if (closed) {
      return undo.get().transform(ar -> Future.failedFuture(new IllegalStateException("registry closed")));
    }
    return Future.succeededFuture(item);
  }

  /**
   * Closes every watch, then deregisters every registration made through this registry (so that
   * the watches do not report them going), then closes the etcd client. It succeeds even if etcd
   * cannot be reached: the keys left then go when their leases expire, which is logged.
   */
  @Override
  public synchronized Future<Void> close() {
    if (closing == null) {
      closed = true;
      closing = Future.join(watches.stream().map(EtcdWatch::close).toList())
          .transform(ar -> Future.join(registrations.stream().map(this::deregisterQuietly).toList()))
          .transform(ar -> {
            etcd.close();
            return Future.succeededFuture();
          });
    }
    return closing;
  }

  private Future<Void> deregisterQuietly(Registration registration) {
    return registration.deregister().onFailure(e -> log.warn("Could not deregister " + registration.key() + " ("
        + e.getMessage() + "); etcd drops it when its lease expires"));
  }
}
