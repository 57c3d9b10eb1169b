package io.weft.core.discovery;

import io.vertx.core.Vertx;

/** Creates the registry a config names. */
public final class ServiceRegistries {

  private ServiceRegistries() {
  }

  public static ServiceRegistry create(Vertx vertx, RegistryOptions options) {
    return switch (options.getType()) {
      case LOCAL -> LocalServiceRegistry.get(vertx);
      case ETCD -> throw new IllegalArgumentException("registry.type 'etcd' is not available in this build");
    };
  }
}
