package io.weft.gate.impl;

import io.github.bucket4j.Bucket;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.weft.core.Code;
import io.weft.core.governance.LimitAlarm;
import io.weft.core.governance.RateLimit;
import io.weft.gate.GateLimits;
import io.weft.gate.GateOptions;
import io.weft.gate.Rejection;
import io.weft.gate.RouteCall;
import io.weft.gate.RouteFilter;
import io.weft.gate.ServicePolicy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets per client connection, per client source, per method and per service, checked in
 * that order so that a flooding connection is stopped before it drains buckets others share; a call
 * over any of them is refused with 8 (RESOURCE_EXHAUSTED), and the breach is counted and
 * reported by the limit's {@link LimitAlarm}.
 * <p>
 * Connection buckets belong to the gate instance that owns the connection. Source, service and
 * method buckets are shared by all instances of one gate (one process), so a limit means what it
 * says however many event loops the gate runs on.
 */
public final class RateLimitFilter implements RouteFilter {

  /** Sources with a bucket of their own before further ones share an overflow bucket. */
  static final int MAX_SOURCES = 10_000;

  private final GateOptions options;
  private final Shared shared;
  private final Map<String, Bucket> connections = new HashMap<>();
  private final LimitAlarm connectionAlarm;

  public RateLimitFilter(Vertx vertx, GateOptions options) {
    this.options = options;
    LocalMap<String, Shared> map = vertx.sharedData().getLocalMap("weft.gate-rate-limits");
    this.shared = map.computeIfAbsent(options.getHost() + ":" + options.getPort(), k -> new Shared());
    this.connectionAlarm = shared.alarm("per-connection");
  }

  @Override
  public Rejection onRoute(RouteCall call) {
    GateLimits limits = options.getLimits();
    if (limits.perConnection() != null && !call.fromService()) {
      Bucket bucket = connections.computeIfAbsent(call.connectionId(), k -> limits.perConnection().newLocalBucket());
      if (!bucket.tryConsume(1)) {
        connectionAlarm.breach();
        return new Rejection(Code.RESOURCE_EXHAUSTED, "rate limit of this connection exceeded");
      }
    }
    String source = call.source();
    RateLimit sourceLimit = limits.forSource(source);
    if (sourceLimit != null && !shared.tryConsume("source " + (source == null ? "(none)" : source), sourceLimit)) {
      return new Rejection(Code.RESOURCE_EXHAUSTED, "rate limit of source " + source + " exceeded");
    }
    // Narrow before broad: a call refused by its method's limit does not use up the service's.
    ServicePolicy policy = options.policyFor(call.namespace() + "/" + call.service());
    if (!policy.methodRateLimits().isEmpty()) {
      String method = call.method();
      RateLimit methodLimit = method == null ? null : policy.methodRateLimits().get(method);
      if (methodLimit != null && !shared.tryConsume(
          "method " + call.namespace() + "/" + call.service() + "." + method, methodLimit)) {
        return new Rejection(Code.RESOURCE_EXHAUSTED,
            "rate limit of " + call.namespace() + "/" + call.service() + "." + method + " exceeded");
      }
    }
    if (policy.rateLimit() != null
        && !shared.tryConsume("service " + call.namespace() + "/" + call.service(), policy.rateLimit())) {
      return new Rejection(Code.RESOURCE_EXHAUSTED, "rate limit of " + call.namespace() + "/" + call.service() + " exceeded");
    }
    return null;
  }

  @Override
  public void onConnectionClosed(String connectionId) {
    connections.remove(connectionId);
  }

  /** Breaches of every limit so far, by limit name. */
  public Map<String, Long> breaches() {
    Map<String, Long> counts = new HashMap<>();
    shared.alarms.forEach((name, alarm) -> counts.put(name, alarm.count()));
    return counts;
  }

  /** Buckets and alarms shared by the instances of one gate. */
  private static final class Shared implements Shareable {
    final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    final Map<String, LimitAlarm> alarms = new ConcurrentHashMap<>();

    LimitAlarm alarm(String name) {
      return alarms.computeIfAbsent(name, LimitAlarm::new);
    }

    boolean tryConsume(String name, RateLimit limit) {
      Bucket bucket = buckets.get(name);
      if (bucket == null) {
        // Sources are named by clients: past the cap, unknown ones share one bucket.
        String key = buckets.size() >= MAX_SOURCES && name.startsWith("source ") ? "source (overflow)" : name;
        bucket = buckets.computeIfAbsent(key, k -> limit.newSharedBucket());
      }
      if (bucket.tryConsume(1)) {
        return true;
      }
      alarm("gate " + name).breach();
      return false;
    }
  }
}
