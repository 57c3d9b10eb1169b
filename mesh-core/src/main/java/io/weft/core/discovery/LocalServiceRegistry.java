package io.weft.core.discovery;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.weft.core.discovery.impl.ConfigKeys;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The in-JVM registry: every verticle of one Vert.x instance sees the same set of instances. It is
 * the embedded default of {@code conf/local.json}; a mesh spread over several processes needs etcd.
 * <p>
 * Each {@link #get} returns a view of the shared store; closing a view removes what it registered
 * and stops its watches, and leaves the others alone. The runtime config is an in-memory map with
 * the semantics of etcd's: shared by every view, kept until deleted (or the Vert.x closes).
 */
public final class LocalServiceRegistry implements ServiceRegistry {

  private static final Logger log = LoggerFactory.getLogger(LocalServiceRegistry.class);
  private static final String SHARED_MAP = "weft.local-registry";

  private final Store store;
  private final Vertx vertx;
  private final Set<Registration> registrations = ConcurrentHashMap.newKeySet();
  private final Set<ServiceWatch> watches = ConcurrentHashMap.newKeySet();
  private final Set<ConfigWatch> configWatches = ConcurrentHashMap.newKeySet();

  private LocalServiceRegistry(Vertx vertx, Store store) {
    this.vertx = vertx;
    this.store = store;
  }

  /** A view of the registry shared by everything running on {@code vertx}. */
  public static LocalServiceRegistry get(Vertx vertx) {
    LocalMap<String, Store> map = vertx.sharedData().getLocalMap(SHARED_MAP);
    return new LocalServiceRegistry(vertx, map.computeIfAbsent("store", k -> new Store()));
  }

  /** The instances registered now. */
  public List<ServiceInstance> instances() {
    return store.snapshot();
  }

  @Override
  public Future<Registration> register(ServiceInstance instance) {
    store.put(instance);
    String key = "/weft/services/" + instance.serviceKey() + "/" + instance.id();
    return Future.succeededFuture(track(key, () -> store.remove(instance)));
  }

  @Override
  public Future<Registration> registerGate(GateInstance gate) {
    store.putGate(gate);
    return Future.succeededFuture(track("/weft/gates/" + gate.id(), () -> store.removeGate(gate)));
  }

  @Override
  public Future<List<GateInstance>> gates() {
    return Future.succeededFuture(store.gates());
  }

  private Registration track(String key, Runnable remove) {
    Registration registration = new Registration() {
      @Override
      public String key() {
        return key;
      }

      @Override
      public Future<Void> deregister() {
        if (registrations.remove(this)) {
          remove.run();
        }
        return Future.succeededFuture();
      }
    };
    registrations.add(registration);
    return registration;
  }

  @Override
  public Future<ServiceWatch> watch(Handler<ServiceEvent> handler) {
    Context context = vertx.getOrCreateContext();
    Watcher watcher = new Watcher(context, handler);
    store.addWatcher(watcher);
    ServiceWatch watch = new ServiceWatch() {
      @Override
      public Future<Void> close() {
        watches.remove(this);
        store.removeWatcher(watcher);
        return Future.succeededFuture();
      }
    };
    watches.add(watch);
    return Future.succeededFuture(watch);
  }

  @Override
  public Future<ConfigWatch> watchConfig(String prefix, Handler<Map<String, String>> handler) {
    try {
      ConfigKeys.checkPrefix(prefix);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Context context = vertx.getOrCreateContext();
    ConfigWatcher watcher = new ConfigWatcher(context, prefix, handler, new AtomicBoolean(true));
    ConfigWatch watch = new ConfigWatch() {
      @Override
      public Future<Void> close() {
        configWatches.remove(this);
        watcher.open().set(false);
        store.removeConfigWatcher(watcher);
        return Future.succeededFuture();
      }
    };
    configWatches.add(watch);
    Promise<ConfigWatch> started = Promise.promise();
    store.addConfigWatcher(watcher, () -> started.complete(watch));
    return started.future();
  }

  @Override
  public Future<Map<String, String>> config(String prefix) {
    try {
      return Future.succeededFuture(store.config(ConfigKeys.checkPrefix(prefix)));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Void> putConfig(String key, String value) {
    try {
      ConfigKeys.checkKey(key);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (value == null) {
      return Future.failedFuture(new IllegalArgumentException("config " + key + ": the value must not be null"));
    }
    store.putConfig(key, value);
    return Future.succeededFuture();
  }

  @Override
  public Future<Boolean> deleteConfig(String key) {
    try {
      return Future.succeededFuture(store.deleteConfig(ConfigKeys.checkKey(key)));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Void> close() {
    new ArrayList<>(watches).forEach(ServiceWatch::close);
    new ArrayList<>(configWatches).forEach(ConfigWatch::close);
    new ArrayList<>(registrations).forEach(Registration::deregister);
    return Future.succeededFuture();
  }

  private record Watcher(Context context, Handler<ServiceEvent> handler) {
    void emit(ServiceEvent event) {
      context.runOnContext(v -> handler.handle(event));
    }
  }

  /** A config watch; once closed, snapshots already on their way to its context are dropped. */
  private record ConfigWatcher(Context context, String prefix, Handler<Map<String, String>> handler, AtomicBoolean open) {
    boolean covers(String key) {
      return key.startsWith(prefix);
    }

    void emit(Map<String, String> snapshot) {
      context.runOnContext(v -> {
        if (!open.get()) {
          return;
        }
        try {
          handler.handle(snapshot);
        } catch (RuntimeException e) {
          log.error("Config watch handler failed on " + snapshot, e);
        }
      });
    }
  }

  /** The state shared through the Vert.x local map; all access is under its lock. */
  private static final class Store implements Shareable {
    private final Map<String, ServiceInstance> instances = new LinkedHashMap<>();
    private final Map<String, GateInstance> gates = new LinkedHashMap<>();
    private final List<Watcher> watchers = new ArrayList<>();
    private final TreeMap<String, String> config = new TreeMap<>();
    private final List<ConfigWatcher> configWatchers = new ArrayList<>();

    synchronized void putConfig(String key, String value) {
      if (!value.equals(config.put(key, value))) {
        configChanged(key);
      }
    }

    synchronized boolean deleteConfig(String key) {
      if (config.remove(key) == null) {
        return false;
      }
      configChanged(key);
      return true;
    }

    /** Emitting under the lock keeps every watcher's snapshots in the order of the changes. */
    private void configChanged(String key) {
      for (ConfigWatcher w : configWatchers) {
        if (w.covers(key)) {
          w.emit(config(w.prefix()));
        }
      }
    }

    /** The watcher is given the current set, then {@code started} runs, both on the watcher's context. */
    synchronized void addConfigWatcher(ConfigWatcher watcher, Runnable started) {
      configWatchers.add(watcher);
      watcher.emit(config(watcher.prefix()));
      watcher.context().runOnContext(v -> started.run());
    }

    synchronized void removeConfigWatcher(ConfigWatcher watcher) {
      configWatchers.remove(watcher);
    }

    synchronized Map<String, String> config(String prefix) {
      TreeMap<String, String> matching = new TreeMap<>();
      for (Map.Entry<String, String> e : config.tailMap(prefix, true).entrySet()) {
        if (!e.getKey().startsWith(prefix)) {
          break;
        }
        matching.put(e.getKey(), e.getValue());
      }
      return Collections.unmodifiableMap(matching);
    }

    synchronized void put(ServiceInstance instance) {
      instances.put(key(instance), instance);
      // Emitting under the lock keeps every watcher's events in the order of the changes.
      watchers.forEach(w -> w.emit(ServiceEvent.up(instance)));
    }

    synchronized void remove(ServiceInstance instance) {
      if (instances.remove(key(instance)) != null) {
        watchers.forEach(w -> w.emit(ServiceEvent.down(instance)));
      }
    }

    synchronized void addWatcher(Watcher watcher) {
      watchers.add(watcher);
      instances.values().forEach(i -> watcher.emit(ServiceEvent.up(i)));
    }

    synchronized void removeWatcher(Watcher watcher) {
      watchers.remove(watcher);
    }

    synchronized void putGate(GateInstance gate) {
      gates.put(gate.id(), gate);
    }

    synchronized void removeGate(GateInstance gate) {
      gates.remove(gate.id(), gate);
    }

    synchronized List<GateInstance> gates() {
      return List.copyOf(gates.values());
    }

    synchronized List<ServiceInstance> snapshot() {
      return List.copyOf(instances.values());
    }

    private static String key(ServiceInstance i) {
      return i.serviceKey() + "/" + i.id();
    }
  }
}
