package io.weft.core.discovery.impl;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.weft.core.discovery.ConfigWatch;
import io.weft.core.discovery.GateInstance;
import io.weft.core.discovery.Registration;
import io.weft.core.discovery.ServiceEvent;
import io.weft.core.discovery.ServiceInstance;
import io.weft.core.discovery.ServiceRegistry;
import io.weft.core.discovery.ServiceWatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One user's handle on a registry shared by several verticles: closing it undoes only what it
 * registered and watched, then lets go of the shared registry. Config keys it wrote stay, as
 * they would with any registry.
 */
public final class RegistryView implements ServiceRegistry {

  private final ServiceRegistry shared;
  private final Supplier<Future<Void>> release;
  private final Set<Registration> registrations = ConcurrentHashMap.newKeySet();
  private final Set<ServiceWatch> watches = ConcurrentHashMap.newKeySet();
  private final Set<ConfigWatch> configWatches = ConcurrentHashMap.newKeySet();
  private boolean closed;

  public RegistryView(ServiceRegistry shared, Supplier<Future<Void>> release) {
    this.shared = shared;
    this.release = release;
  }

  @Override
  public Future<Registration> register(ServiceInstance instance) {
    return shared.register(instance).map(this::track);
  }

  @Override
  public Future<Registration> registerGate(GateInstance gate) {
    return shared.registerGate(gate).map(this::track);
  }

  private Registration track(Registration registration) {
    Registration tracked = new Registration() {
      @Override
      public String key() {
        return registration.key();
      }

      @Override
      public Future<Void> deregister() {
        registrations.remove(this);
        return registration.deregister();
      }
    };
    registrations.add(tracked);
    return tracked;
  }

  @Override
  public Future<List<GateInstance>> gates() {
    return shared.gates();
  }

  @Override
  public Future<ServiceWatch> watch(Handler<ServiceEvent> handler) {
    return shared.watch(handler).map(watch -> {
      ServiceWatch tracked = new ServiceWatch() {
        @Override
        public Future<Void> close() {
          watches.remove(this);
          return watch.close();
        }
      };
      watches.add(tracked);
      return tracked;
    });
  }

  @Override
  public Future<ConfigWatch> watchConfig(String prefix, Handler<Map<String, String>> handler) {
    return shared.watchConfig(prefix, handler).map(watch -> {
      ConfigWatch tracked = new ConfigWatch() {
        @Override
        public Future<Void> close() {
          configWatches.remove(this);
          return watch.close();
        }
      };
      configWatches.add(tracked);
      return tracked;
    });
  }

  @Override
  public Future<Map<String, String>> config(String prefix) {
    return shared.config(prefix);
  }

  @Override
  public Future<Void> putConfig(String key, String value) {
    return shared.putConfig(key, value);
  }

  @Override
  public Future<Boolean> deleteConfig(String key) {
    return shared.deleteConfig(key);
  }

  @Override
  public synchronized Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    List<Future<Void>> undone = new ArrayList<>();
    new ArrayList<>(watches).forEach(w -> undone.add(w.close()));
    new ArrayList<>(configWatches).forEach(w -> undone.add(w.close()));
    new ArrayList<>(registrations).forEach(r -> undone.add(r.deregister()));
    return Future.join(undone).transform(ar -> release.get());
  }
}
