package io.weft.core.discovery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.weft.core.discovery.impl.RegistryView;

/**
 * Creates the registry a config names. Every verticle of one Vert.x instance that asks for the
 * same etcd gets a view of one shared client (one connection, one lease keeper), not a client
 * of its own; the client closes with its last view.
 */
public final class ServiceRegistries {

  private static final String SHARED_MAP = "weft.etcd-registries";

  private ServiceRegistries() {
  }

  public static ServiceRegistry create(Vertx vertx, RegistryOptions options) {
    return switch (options.getType()) {
      case LOCAL -> LocalServiceRegistry.get(vertx);
      case ETCD -> sharedEtcd(vertx, options);
    };
  }

  private static ServiceRegistry sharedEtcd(Vertx vertx, RegistryOptions options) {
    LocalMap<String, Holder> holders = vertx.sharedData().getLocalMap(SHARED_MAP);
    String key = options.toJson().encode();
    synchronized (ServiceRegistries.class) {
      Holder holder = holders.get(key);
      if (holder == null) {
        holder = new Holder(EtcdServiceRegistry.create(vertx, options));
        holders.put(key, holder);
      }
      holder.users++;
      Holder acquired = holder;
      return new RegistryView(holder.registry, () -> release(holders, key, acquired));
    }
  }

  private static Future<Void> release(LocalMap<String, Holder> holders, String key, Holder holder) {
    synchronized (ServiceRegistries.class) {
      if (--holder.users > 0) {
        return Future.succeededFuture();
      }
      holders.remove(key, holder);
    }
    return holder.registry.close();
  }

  /** A shared registry and how many views use it. */
  private static final class Holder implements Shareable {
    final ServiceRegistry registry;
    int users;

    Holder(ServiceRegistry registry) {
      this.registry = registry;
    }
  }
}
