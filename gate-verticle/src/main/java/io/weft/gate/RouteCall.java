package io.weft.gate;

import io.weft.core.protocol.Envelope.Caller;
import java.util.Map;

/** What a {@link RouteFilter} knows of a call the gate is routing. */
public interface RouteCall {

  String namespace();

  String service();

  /** The called method, read from {@code InnerRpc}; {@code null} when it cannot be read. */
  String method();

  /** Who calls: the gate, the connection, the logged-in client, the client's label. */
  Caller caller();

  /** The caller's label ({@code Client} of its auth, or the calling service); {@code null} if none. */
  default String source() {
    Caller c = caller();
    return c == null ? null : c.client();
  }

  /** True for a call from a service through the gate (s2s), false for a client's call. */
  boolean fromService();

  Map<String, String> tags();

  String trace();

  /** True when nobody waits for an answer. */
  boolean oneWay();

  /** The id of the connection the call came on, for per-connection state. */
  String connectionId();
}
