package io.weft.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The environment variables that override a mesh config, so one config file serves every
 * machine (Kubernetes sets them from the pod). Each one maps to a fixed place in the config:
 *
 * <table>
 *   <tr><th>variable</th><th>sets</th></tr>
 *   <tr><td>{@code WEFT_REGISTRY_TYPE}</td><td>{@code registry.type}</td></tr>
 *   <tr><td>{@code WEFT_REGISTRY_ENDPOINTS}</td><td>{@code registry.endpoints} (comma-separated)</td></tr>
 *   <tr><td>{@code WEFT_ADVERTISE_HOST}</td><td>{@code advertiseHost} of every gate and service, and of the push service</td></tr>
 *   <tr><td>{@code WEFT_GATE_HOST}, {@code WEFT_GATE_PORT}</td><td>{@code host}, {@code port} of the first gate</td></tr>
 *   <tr><td>{@code WEFT_SERVICE_HOST}</td><td>{@code host} of every service</td></tr>
 *   <tr><td>{@code WEFT_SERVICE_PORT}</td><td>{@code port} of the first service (its replicas count up from it)</td></tr>
 *   <tr><td>{@code WEFT_EVENT_LOOPS}</td><td>{@code eventLoops}</td></tr>
 *   <tr><td>{@code WEFT_PUSH_DATA_DIR}</td><td>{@code push.store.dataDir} (the embedded safe-push store)</td></tr>
 *   <tr><td>{@code WEFT_REDIS}</td><td>the Redis connection string of every gate's and the push service's sessions (and makes them Redis), and of every service's events ({@code events.redis})</td></tr>
 *   <tr><td>{@code WEFT_ADMIN_HOST}, {@code WEFT_ADMIN_PORT}</td><td>{@code admin.host}, {@code admin.port} (and start the admin server)</td></tr>
 * </table>
 */
public final class EnvOverrides {

  private static final Map<String, BiConsumer<JsonObject, String>> VARIABLES = Map.of(
      "WEFT_REGISTRY_TYPE", (c, v) -> section(c, "registry").put("type", v),
      "WEFT_REGISTRY_ENDPOINTS", (c, v) -> section(c, "registry").put("endpoints", new JsonArray(List.of(v.split(",")))),
      "WEFT_ADVERTISE_HOST", (c, v) -> {
        each(c, "gates", g -> g.put("advertiseHost", v));
        each(c, "services", s -> s.put("advertiseHost", v));
        if (c.getJsonObject("push") != null) {
          section(c, "push").put("advertiseHost", v);
        }
      },
      "WEFT_GATE_HOST", (c, v) -> first(c, "gates").put("host", v),
      "WEFT_GATE_PORT", (c, v) -> first(c, "gates").put("port", port("WEFT_GATE_PORT", v)),
      "WEFT_SERVICE_HOST", (c, v) -> each(c, "services", s -> s.put("host", v)),
      "WEFT_SERVICE_PORT", (c, v) -> first(c, "services").put("port", port("WEFT_SERVICE_PORT", v)),
      "WEFT_EVENT_LOOPS", (c, v) -> c.put("eventLoops", integer("WEFT_EVENT_LOOPS", v)),
      "WEFT_PUSH_DATA_DIR", (c, v) -> section(section(c, "push"), "store").put("dataDir", v),
      "WEFT_REDIS", (c, v) -> {
        JsonObject redis = new JsonObject().put("type", "redis").put("connectionString", v);
        each(c, "gates", g -> g.put("sessions", section(g, "sessions").mergeIn(redis)));
        each(c, "services", s -> section(s, "events").put("redis", v));
        if (c.getJsonObject("push") != null) {
          section(c, "push").put("sessions", section(section(c, "push"), "sessions").mergeIn(redis));
        }
      });

  /** The admin server's (apart: {@link Map#of} takes ten entries at most). */
  private static final Map<String, BiConsumer<JsonObject, String>> ADMIN_VARIABLES = Map.of(
      "WEFT_ADMIN_HOST", (c, v) -> section(c, "admin").put("host", v),
      "WEFT_ADMIN_PORT", (c, v) -> section(c, "admin").put("port", port("WEFT_ADMIN_PORT", v)));

  private EnvOverrides() {
  }

  /** The names of the variables read. */
  public static List<String> names() {
    return java.util.stream.Stream.concat(VARIABLES.keySet().stream(), ADMIN_VARIABLES.keySet().stream())
        .sorted().toList();
  }

  /**
   * Moves the {@code WEFT_*} entries that vertx-config's env store put at the top of
   * {@code merged} to their places, and returns the result.
   */
  public static JsonObject apply(JsonObject merged) {
    JsonObject config = merged.copy();
    for (String name : names()) {
      Object value = config.remove(name);
      if (value != null && !String.valueOf(value).isBlank()) {
        VARIABLES.getOrDefault(name, ADMIN_VARIABLES.get(name)).accept(config, String.valueOf(value).trim());
      }
    }
    return config;
  }

  private static JsonObject section(JsonObject config, String key) {
    JsonObject section = config.getJsonObject(key);
    if (section == null) {
      section = new JsonObject();
      config.put(key, section);
    }
    return section;
  }

  private static void each(JsonObject config, String key, java.util.function.Consumer<JsonObject> action) {
    JsonArray array = config.getJsonArray(key);
    if (array != null) {
      for (int i = 0; i < array.size(); i++) {
        action.accept(array.getJsonObject(i));
      }
    }
  }

  private static JsonObject first(JsonObject config, String key) {
    JsonArray array = config.getJsonArray(key);
    if (array == null || array.isEmpty()) {
      throw new IllegalArgumentException("an environment variable sets " + key + "[0], but the config has no " + key);
    }
    return array.getJsonObject(0);
  }

  private static int port(String name, String value) {
    int port = integer(name, value);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " must be a port (0..65535), but was " + value);
    }
    return port;
  }

  private static int integer(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, but was '" + value + "'");
    }
  }
}
