package io.weft.core.discovery;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Objects;

/**
 * One registered instance of a service, as stored in the registry (PROTOCOL.md section 9):
 * {@code /weft/services/<namespace>/<service>/<host:port>} holds {@link #toJson()}.
 *
 * @param id the advertised {@code host:port}, unique in the mesh
 * @param startedAt epoch milliseconds
 */
public record ServiceInstance(String namespace, String service, String id, String host, int port, int weight,
                              Map<String, String> tags, String version, long startedAt) {

  public ServiceInstance {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, but was " + port);
    }
    id = id == null ? host + ":" + port : id;
    weight = Math.max(1, weight);
    tags = tags == null ? Map.of() : Map.copyOf(tags);
    version = version == null ? "" : version;
  }

  /** An instance with default weight, no tags and no version. */
  public static ServiceInstance of(String namespace, String service, String host, int port) {
    return new ServiceInstance(namespace, service, null, host, port, 1, Map.of(), "", System.currentTimeMillis());
  }

  /** {@code namespace/service}: the key of the service this instance belongs to. */
  public String serviceKey() {
    return namespace + "/" + service;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("host", host)
        .put("port", port)
        .put("weight", weight)
        .put("tags", new JsonObject(Map.copyOf(tags)))
        .put("version", version)
        .put("startedAt", startedAt);
  }

  /** Reads the registry value of an instance of {@code namespace/service}. */
  public static ServiceInstance fromJson(String namespace, String service, JsonObject json) {
    JsonObject tagsJson = json.getJsonObject("tags", new JsonObject());
    Map<String, String> tags = new java.util.HashMap<>();
    tagsJson.forEach(e -> tags.put(e.getKey(), String.valueOf(e.getValue())));
    return new ServiceInstance(namespace, service, json.getString("id"), json.getString("host"),
        json.getInteger("port", 0), json.getInteger("weight", 1), tags, json.getString("version", ""),
        json.getLong("startedAt", 0L));
  }
}
