package io.weft.launcher;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a process logs: the top-level {@code logging} section of a mesh config, applied by
 * {@code weft run} when it starts (docs/OPERATIONS.md, "Logs").
 * <pre>{@code
 * "logging": {"json": false, "level": "info",
 *             "roles": {"gate": "debug", "service": "info", "push": "info", "events": "warn"}}
 * }</pre>
 * <ul>
 *   <li>{@code json}: one JSON object per line (Logstash's layout: {@code @timestamp},
 *   {@code level}, {@code logger_name}, {@code message}, {@code trace_id} ...) instead of one
 *   readable text line per event.</li>
 *   <li>{@code level}: the level of everything not named below ({@code trace}, {@code debug},
 *   {@code info}, {@code warn}, {@code error}, {@code off}).</li>
 *   <li>{@code roles}: the level of one role's loggers: {@code gate} ({@code io.weft.gate}),
 *   {@code service} ({@code io.weft.service}), {@code push} ({@code io.weft.push}),
 *   {@code events} ({@code io.weft.core.events}).</li>
 * </ul>
 */
public final class LoggingOptions {

  public static final String DEFAULT_LEVEL = "info";

  /** The loggers of each role, by the role's name in {@code roles}. */
  public static final Map<String, String> ROLE_LOGGERS = Map.of(
      "gate", "io.weft.gate",
      "service", "io.weft.service",
      "push", "io.weft.push",
      "events", "io.weft.core.events");

  private static final Set<String> KEYS = Set.of("json", "level", "roles");
  private static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "off");

  private boolean json;
  private String level = DEFAULT_LEVEL;
  private final Map<String, String> roles = new LinkedHashMap<>();

  public LoggingOptions() {
  }

  /** Reads the {@code logging} section; unknown keys and levels are refused, naming them. */
  public LoggingOptions(JsonObject config) {
    for (String key : config.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key logging." + key + "; known keys: " + new TreeSet<>(KEYS));
      }
    }
    Object jsonValue = config.getValue("json", false);
    if (!(jsonValue instanceof Boolean b)) {
      throw new IllegalArgumentException("logging.json must be true or false, but was " + jsonValue);
    }
    json = b;
    level = level("logging.level", config.getValue("level", DEFAULT_LEVEL));
    Object rolesValue = config.getValue("roles");
    if (rolesValue != null) {
      if (!(rolesValue instanceof JsonObject rolesJson)) {
        throw new IllegalArgumentException("logging.roles must be an object");
      }
      for (String role : rolesJson.fieldNames()) {
        if (!ROLE_LOGGERS.containsKey(role)) {
          throw new IllegalArgumentException("unknown role logging.roles." + role + "; known roles: "
              + new TreeSet<>(ROLE_LOGGERS.keySet()));
        }
        roles.put(role, level("logging.roles." + role, rolesJson.getValue(role)));
      }
    }
  }

  public JsonObject toJson() {
    JsonObject out = new JsonObject().put("json", json).put("level", level);
    if (!roles.isEmpty()) {
      out.put("roles", new JsonObject(new LinkedHashMap<>(roles)));
    }
    return out;
  }

  public boolean isJson() {
    return json;
  }

  public LoggingOptions setJson(boolean json) {
    this.json = json;
    return this;
  }

  /** The level of everything no role level covers, lowercase. */
  public String getLevel() {
    return level;
  }

  public LoggingOptions setLevel(String level) {
    this.level = level("logging.level", level);
    return this;
  }

  /** The levels set per role, lowercase, by role name. */
  public Map<String, String> getRoles() {
    return Map.copyOf(roles);
  }

  public LoggingOptions setRole(String role, String level) {
    if (!ROLE_LOGGERS.containsKey(role)) {
      throw new IllegalArgumentException("unknown role logging.roles." + role + "; known roles: "
          + new TreeSet<>(ROLE_LOGGERS.keySet()));
    }
    roles.put(role, level("logging.roles." + role, level));
    return this;
  }

  private static String level(String key, Object value) {
    String name = value instanceof String s ? s.toLowerCase(Locale.ROOT) : null;
    if (name == null || !LEVELS.contains(name)) {
      throw new IllegalArgumentException(key + " must be one of " + LEVELS + ", but was " + value);
    }
    return name;
  }
}
