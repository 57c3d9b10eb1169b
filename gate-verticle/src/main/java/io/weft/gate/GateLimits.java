package io.weft.gate;

import io.vertx.core.json.JsonObject;
import io.weft.core.governance.RateLimit;
import java.util.HashMap;
import java.util.Map;

/**
 * Rate limits that depend on who calls rather than what is called: per client connection and per
 * client source (the {@code Client} label; {@code "*"} for any source without its own limit).
 * <pre>{@code "limits": {"perConnection": {"perSecond": 200}, "perSource": {"*": {"perSecond": 5000}, "bot": {"perSecond": 10}}}}</pre>
 */
public record GateLimits(RateLimit perConnection, Map<String, RateLimit> perSource) {

  public static final GateLimits NONE = new GateLimits(null, Map.of());

  public GateLimits {
    perSource = perSource == null ? Map.of() : Map.copyOf(perSource);
  }

  public static GateLimits fromJson(JsonObject json) {
    if (json == null) {
      return NONE;
    }
    try {
      Map<String, RateLimit> sources = new HashMap<>();
      json.getJsonObject("perSource", new JsonObject()).forEach(e -> {
        if (!(e.getValue() instanceof JsonObject limit)) {
          throw new IllegalArgumentException("perSource." + e.getKey() + " must be an object");
        }
        sources.put(e.getKey(), RateLimit.fromJson(limit));
      });
      return new GateLimits(RateLimit.fromJson(json.getJsonObject("perConnection")), sources);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new IllegalArgumentException("limits: " + e.getMessage(), e);
    }
  }

  /** The limit of one source: its own, else the {@code "*"} one, else none. */
  public RateLimit forSource(String source) {
    RateLimit own = source == null ? null : perSource.get(source);
    return own != null ? own : perSource.get("*");
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (perConnection != null) {
      json.put("perConnection", perConnection.toJson());
    }
    JsonObject sources = new JsonObject();
    perSource.forEach((k, v) -> sources.put(k, v.toJson()));
    return json.put("perSource", sources);
  }
}
