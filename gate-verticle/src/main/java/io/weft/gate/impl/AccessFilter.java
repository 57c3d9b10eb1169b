package io.weft.gate.impl;

import io.weft.core.Code;
import io.weft.gate.Rejection;
import io.weft.gate.RouteCall;
import io.weft.gate.RouteFilter;

/**
 * Access control of an external gate (PROTOCOL.md section 6): a client may call only methods the
 * service's instances reported {@code Public} in {@code MSG_S2G_RPC_ACCESS_REPORT}; any other call
 * is refused with 7 (PERMISSION_DENIED) before it reaches an instance. A method no instance
 * reported is not public either (7, not the service's 12: a client cannot probe for private
 * method names), nor is a call whose {@code InnerRpc} names no method. A service none of whose
 * instances has reported yet is let through, to be answered 14 like on any gate.
 * <p>
 * Calls from services through the gate (s2s) and the gate's own calls (to the push service) are
 * trusted: {@link RouteCall#fromService()} is true for them, and they are not checked.
 */
public final class AccessFilter implements RouteFilter {

  private final ServiceDirectory directory;
  private final Runnable onDenied;
  private long denied;

  /** {@code onDenied} runs for each call refused (to count it). */
  public AccessFilter(ServiceDirectory directory, Runnable onDenied) {
    this.directory = directory;
    this.onDenied = onDenied;
  }

  @Override
  public Rejection onRoute(RouteCall call) {
    if (call.fromService()) {
      return null;
    }
    ServicePool pool = directory.pool(call.namespace(), call.service());
    if (pool == null) {
      return null;
    }
    String method = call.method();
    Boolean allowed = method == null ? Boolean.FALSE : pool.isPublic(method);
    if (allowed == null || allowed) {
      return null;
    }
    denied++;
    onDenied.run();
    return new Rejection(Code.PERMISSION_DENIED, method == null
        ? "InnerRpc names no method"
        : call.namespace() + "/" + call.service() + "." + method + " is not public");
  }

  /** Calls refused so far by this gate instance. */
  public long denied() {
    return denied;
  }
}
