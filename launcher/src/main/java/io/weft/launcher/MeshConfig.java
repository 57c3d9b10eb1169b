package io.weft.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.core.discovery.RegistryOptions;
import io.weft.core.events.EventsOptions;
import io.weft.core.metrics.MeshMetricsOptions;
import io.weft.gate.GateOptions;
import io.weft.push.PushOptions;
import io.weft.service.ServiceOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A process's whole config: which roles it runs and the settings they share.
 * <pre>{@code
 * {"eventLoops": 1,
 *  "registry": {"type": "local"},
 *  "gates":    [{"mode": "internal", "host": "127.0.0.1", "port": 7001}],
 *  "services": [{"class": "io.weft.examples.echo.EchoService", "namespace": "demo", "name": "echo",
 *                "host": "127.0.0.1", "replicas": 2}]}
 * }</pre>
 * {@code admin} ({@link AdminOptions}) starts the process's admin HTTP server; {@code metrics}
 * ({@link MeshMetricsOptions}) says how it measures itself.
 * Every role takes the top-level {@code registry} unless it sets its own; every service takes the
 * top-level {@code events} (its Redis and delivery settings), its own {@code events} keys winning.
 * {@code logging} ({@link LoggingOptions}) and {@code tracing} ({@link TracingOptions}) apply to the
 * whole process. Unknown keys and bad
 * values are refused with a message naming the key, so a typo fails the start instead of being
 * silently ignored.
 */
public final class MeshConfig {

  private static final Set<String> ROOT_KEYS = Set.of("eventLoops", "registry", "events", "gates", "services", "push",
      "admin", "metrics", "logging", "tracing");

  private final int eventLoops;
  private final RegistryOptions registry;
  private final List<GateOptions> gates = new ArrayList<>();
  private final List<ServiceRole> services = new ArrayList<>();
  private final PushOptions push;
  private final AdminOptions admin;
  private final MeshMetricsOptions metrics;
  private final LoggingOptions logging;
  private final TracingOptions tracing;

  /** A service role: its options and how many instances of it this process runs. */
  public record ServiceRole(ServiceOptions options, int replicas) {
  }

  public MeshConfig(JsonObject json) {
    checkKeys(json, ROOT_KEYS, "");
    eventLoops = json.getInteger("eventLoops", 0);
    if (eventLoops < 0) {
      throw new IllegalArgumentException("eventLoops must be >= 0 (0: Vert.x's default), but was " + eventLoops);
    }
    JsonObject registryJson = json.getJsonObject("registry", new JsonObject());
    registry = parse("registry", () -> new RegistryOptions(registryJson));
    JsonArray gateArray = json.getJsonArray("gates", new JsonArray());
    for (int i = 0; i < gateArray.size(); i++) {
      String path = "gates[" + i + "]";
      JsonObject gate = object(gateArray, i, path);
      checkKeys(gate, keysOf(new GateOptions().toJson(), "advertiseHost"), path + ".");
      JsonObject withRegistry = inherit(gate, registryJson);
      gates.add(parse(path, () -> new GateOptions(withRegistry)));
    }
    JsonObject eventsJson = json.getJsonObject("events", new JsonObject());
    parse("events", () -> new EventsOptions(eventsJson));
    JsonArray serviceArray = json.getJsonArray("services", new JsonArray());
    for (int i = 0; i < serviceArray.size(); i++) {
      String path = "services[" + i + "]";
      JsonObject service = object(serviceArray, i, path);
      checkKeys(service, keysOf(new ServiceOptions().setNamespace("n").setName("n").toJson(),
          "class", "replicas", "advertiseHost"), path + ".");
      int replicas = service.getInteger("replicas", 1);
      if (replicas < 1) {
        throw new IllegalArgumentException(path + ".replicas must be >= 1, but was " + replicas);
      }
      if (service.getString("class") == null) {
        throw new IllegalArgumentException(path + ".class must name the MeshService to run");
      }
      JsonObject withRegistry = inherit(service, registryJson);
      withRegistry.remove("replicas");
      if (!eventsJson.isEmpty()) {
        Object own = service.getValue("events");
        if (own != null && !(own instanceof JsonObject)) {
          throw new IllegalArgumentException(path + ".events must be an object");
        }
        withRegistry.put("events", eventsJson.copy().mergeIn(own == null ? new JsonObject() : (JsonObject) own));
      }
      services.add(new ServiceRole(parse(path, () -> new ServiceOptions(withRegistry)), replicas));
    }
    JsonObject pushJson = json.getJsonObject("push");
    if (pushJson != null) {
      Set<String> pushKeys = keysOf(new PushOptions().toJson(), "advertiseHost");
      checkKeys(pushJson, pushKeys, "push.");
      push = parse("push", () -> new PushOptions(inherit(pushJson, registryJson)));
    } else {
      push = null;
    }
    admin = json.getValue("admin") == null ? null : parse("admin", () -> new AdminOptions(section(json, "admin")));
    metrics = parse("metrics", () -> new MeshMetricsOptions(section(json, "metrics")));
    logging = parse("logging", () -> new LoggingOptions(section(json, "logging", new JsonObject())));
    JsonObject tracingJson = section(json, "tracing", null);
    tracing = tracingJson == null ? null : parse("tracing", () -> new TracingOptions(tracingJson));
    if (gates.isEmpty() && services.isEmpty() && push == null) {
      throw new IllegalArgumentException("the config names no role: add \"gates\", \"services\" or \"push\"");
    }
  }

  public int eventLoops() {
    return eventLoops;
  }

  public RegistryOptions registry() {
    return registry;
  }

  public List<GateOptions> gates() {
    return gates;
  }

  public List<ServiceRole> services() {
    return services;
  }

  /** The push service this process runs, or {@code null}. */
  public PushOptions push() {
    return push;
  }

  /** The admin HTTP server this process runs, or {@code null}. */
  public AdminOptions admin() {
    return admin;
  }

  /** How this process measures itself (defaults when the config has no {@code metrics}). */
  public MeshMetricsOptions metrics() {
    return metrics;
  }

  private static JsonObject section(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject object)) {
      throw new IllegalArgumentException("must be an object, but was " + value);
    }
    return object;
  }

  /** How this process logs (applied by {@code weft run} as it starts). */
  public LoggingOptions logging() {
    return logging;
  }

  /** Where this process exports spans, or {@code null}: it records none. */
  public TracingOptions tracing() {
    return tracing;
  }

  private static JsonObject section(JsonObject json, String key, JsonObject absent) {
    Object value = json.getValue(key);
    if (value == null) {
      return absent;
    }
    if (!(value instanceof JsonObject object)) {
      throw new IllegalArgumentException(key + " must be an object");
    }
    return object;
  }

  private static JsonObject inherit(JsonObject role, JsonObject registry) {
    JsonObject copy = role.copy();
    if (!copy.containsKey("registry")) {
      copy.put("registry", registry.copy());
    }
    return copy;
  }

  private static JsonObject object(JsonArray array, int i, String path) {
    Object value = array.getValue(i);
    if (!(value instanceof JsonObject object)) {
      throw new IllegalArgumentException(path + " must be an object");
    }
    return object;
  }

  private static Set<String> keysOf(JsonObject defaults, String... more) {
    Set<String> keys = new TreeSet<>(defaults.fieldNames());
    keys.addAll(List.of(more));
    return keys;
  }

  private static void checkKeys(JsonObject json, Set<String> known, String prefix) {
    for (String key : json.fieldNames()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException("unknown key " + prefix + key + "; known keys: " + new TreeSet<>(known));
      }
    }
  }

  private static <T> T parse(String path, java.util.function.Supplier<T> parser) {
    try {
      return parser.get();
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
    }
  }
}
