package io.weft.gate;

import io.weft.core.Code;

/**
 * One link of the gate's chain around each call: auth and access, limits, degradation, metrics,
 * tracing, logging. The gate runs the chain's {@link #onRoute} hooks in order before it picks an
 * instance (the first rejection answers the call), and every {@link #onOutcome} hook once the
 * call is answered, whatever answered it.
 * <p>
 * Filters run on the gate instance's event loop, once per call: they must not block, and should
 * not allocate on the happy path.
 */
public interface RouteFilter {

  /** Lets the call through ({@code null}) or refuses it. */
  Rejection onRoute(RouteCall call);

  /**
   * The call was answered with {@code code}, {@code latencyNanos} after the gate received it
   * (also for calls this or another filter refused).
   */
  default void onOutcome(RouteCall call, Code code, long latencyNanos) {
  }

  /** A client connection closed: per-connection state may go. */
  default void onConnectionClosed(String connectionId) {
  }
}
