package io.weft.gate;

import io.vertx.core.json.JsonObject;
import io.weft.core.governance.BreakerOptions;
import io.weft.core.governance.RateLimit;
import io.weft.core.governance.RetryPolicy;
import io.weft.core.lb.LoadBalancerType;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * How a gate treats calls to one service: balancing, fail mode and retries, the breaker of each
 * instance, and rate limits for the service and its methods. From a gate's config:
 * <pre>{@code
 * "services": {"demo/echo": {"loadBalancer": "p2c", "failMode": "failover", "retries": 2,
 *   "retryBackoffMs": 10, "attemptTimeoutMs": 0, "breaker": {"consecutiveFailures": 5},
 *   "rateLimit": {"perSecond": 1000}, "methods": {"Sleep": {"rateLimit": {"perSecond": 10}}}}}
 * }</pre>
 * Anything a service leaves out comes from the gate's top-level settings.
 */
public record ServicePolicy(LoadBalancerType loadBalancer, RetryPolicy retry, BreakerOptions breaker,
                            RateLimit rateLimit, Map<String, RateLimit> methodRateLimits) {

  static final Set<String> KEYS = Set.of("loadBalancer", "failMode", "retries", "retryBackoffMs", "attemptTimeoutMs",
      "breaker", "rateLimit", "methods");

  public static final ServicePolicy DEFAULT = new ServicePolicy(LoadBalancerType.DEFAULT, RetryPolicy.DEFAULT,
      BreakerOptions.DEFAULT, null, Map.of());

  public ServicePolicy {
    methodRateLimits = methodRateLimits == null ? Map.of() : Map.copyOf(methodRateLimits);
  }

  /** Reads one service's settings over {@code base}; unknown keys are refused, naming them. */
  public static ServicePolicy fromJson(String path, JsonObject json, ServicePolicy base) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key " + path + "." + key + "; known keys: " + new java.util.TreeSet<>(KEYS));
      }
    }
    try {
      String lb = json.getString("loadBalancer");
      Map<String, RateLimit> methods = new HashMap<>(base.methodRateLimits);
      json.getJsonObject("methods", new JsonObject()).forEach(e -> {
        if (!(e.getValue() instanceof JsonObject method)) {
          throw new IllegalArgumentException("methods." + e.getKey() + " must be an object");
        }
        RateLimit limit = RateLimit.fromJson(method.getJsonObject("rateLimit"));
        if (limit != null) {
          methods.put(e.getKey(), limit);
        }
      });
      RateLimit rate = json.containsKey("rateLimit") ? RateLimit.fromJson(json.getJsonObject("rateLimit")) : base.rateLimit;
      return new ServicePolicy(lb == null ? base.loadBalancer : LoadBalancerType.fromConfig(lb),
          RetryPolicy.fromJson(json, base.retry), BreakerOptions.fromJson(json.getJsonObject("breaker"), base.breaker),
          rate, methods);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
    }
  }

  public JsonObject toJson() {
    JsonObject json = retry.toJson().put("loadBalancer", loadBalancer.configName()).put("breaker", breaker.toJson());
    if (rateLimit != null) {
      json.put("rateLimit", rateLimit.toJson());
    }
    if (!methodRateLimits.isEmpty()) {
      JsonObject methods = new JsonObject();
      methodRateLimits.forEach((m, l) -> methods.put(m, new JsonObject().put("rateLimit", l.toJson())));
      json.put("methods", methods);
    }
    return json;
  }
}
