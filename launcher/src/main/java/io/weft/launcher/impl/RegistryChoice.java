package io.weft.launcher.impl;

import io.vertx.core.json.JsonObject;
import io.weft.core.discovery.RegistryOptions;
import io.weft.launcher.EnvOverrides;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Which etcd a command that reads or writes the runtime config talks to: {@code --etcd URL[,URL]},
 * or the registry of a mesh config ({@code --config conf/cluster-gate.json}, with the same
 * {@code WEFT_REGISTRY_*} overrides as {@code weft run}), or else {@code WEFT_REGISTRY_ENDPOINTS}, or else
 * {@code http://127.0.0.1:2379}.
 */
public final class RegistryChoice {

  @Option(names = "--etcd", split = ",", paramLabel = "URL",
      description = "etcd endpoints, e.g. http://127.0.0.1:2379 (default: the config's registry, "
          + "else $WEFT_REGISTRY_ENDPOINTS, else http://127.0.0.1:2379).")
  List<String> etcd;

  @Option(names = "--config", paramLabel = "CONF", description = "Take the etcd endpoints from this mesh config's registry.")
  Path config;

  /**
   * The registry to use.
   *
   * @throws IllegalArgumentException with a message for the user when the choice cannot be used
   */
  RegistryOptions resolve(Map<String, String> env) {
    if (etcd != null && config != null) {
      throw new IllegalArgumentException("give --etcd or --config, not both");
    }
    RegistryOptions options = new RegistryOptions().setType(RegistryOptions.Type.ETCD);
    if (etcd != null) {
      return options.setEndpoints(etcd);
    }
    if (config != null) {
      RegistryOptions fromConfig = new RegistryOptions(registryOf(config, env));
      if (fromConfig.getType() != RegistryOptions.Type.ETCD) {
        throw new IllegalArgumentException(config + " uses the in-JVM registry, which lives inside the mesh's own "
            + "process: runtime switches need a mesh on etcd (a config whose registry is etcd, or --etcd URL)");
      }
      return fromConfig;
    }
    String endpoints = env.get("WEFT_REGISTRY_ENDPOINTS");
    return endpoints == null || endpoints.isBlank() ? options : options.setEndpoints(List.of(endpoints.split(",")));
  }

  private static JsonObject registryOf(Path path, Map<String, String> env) {
    JsonObject json;
    try {
      json = new JsonObject(Files.readString(path));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(path + " is not a JSON object: " + e.getMessage());
    }
    for (String name : EnvOverrides.names()) {
      String value = env.get(name);
      if (value != null && name.startsWith("WEFT_REGISTRY_")) {
        json.put(name, value);
      }
    }
    Object registry = EnvOverrides.apply(json).getValue("registry");
    if (registry != null && !(registry instanceof JsonObject)) {
      throw new IllegalArgumentException(path + ": registry must be an object");
    }
    return registry == null ? new JsonObject() : (JsonObject) registry;
  }
}
