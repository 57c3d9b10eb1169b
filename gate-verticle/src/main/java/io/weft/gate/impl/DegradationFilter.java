package io.weft.gate.impl;

import io.vertx.core.Future;
import io.weft.core.Code;
import io.weft.core.discovery.ServiceRegistry;
import io.weft.core.governance.DisabledRules;
import io.weft.core.governance.DisabledRules.Rule;
import io.weft.core.governance.DisabledRules.ServiceRules;
import io.weft.gate.Rejection;
import io.weft.gate.RouteCall;
import io.weft.gate.RouteFilter;

/**
 * Runtime degradation: refuses the calls the registry's {@code disabled/...} switches disable
 * (a service, a method, either for some sources) with 14 (UNAVAILABLE) and a message saying so,
 * e.g. {@code demo/echo.Sleep is disabled for source mobile}.
 * <p>
 * Each gate instance watches the switches itself, so the rules it reads on every call are a field
 * of its own event loop's, replaced whole when they change: no lock, and nothing allocated unless
 * the call is refused. The call's method is read only when a rule names a method of its service.
 */
public final class DegradationFilter implements RouteFilter {

  private DisabledRules rules = DisabledRules.NONE;

  /** Starts following the switches of {@code registry}; call it on the gate's context. Its registry's close stops it. */
  public Future<Void> watch(ServiceRegistry registry) {
    return DisabledRules.watch(registry, this::update).mapEmpty();
  }

  /** Replaces the rules; on the gate's context. */
  public void update(DisabledRules rules) {
    this.rules = rules;
  }

  /** The rules applied now. */
  public DisabledRules rules() {
    return rules;
  }

  @Override
  public Rejection onRoute(RouteCall call) {
    DisabledRules current = rules;
    if (current.isEmpty()) {
      return null;
    }
    ServiceRules service = current.forService(call.namespace(), call.service());
    if (service == null) {
      return null;
    }
    Rule rule = service.match(service.hasMethodRules() ? call.method() : null, call.source());
    return rule == null ? null : new Rejection(Code.UNAVAILABLE, rule.reason());
  }
}
