package io.weft.core.client;

/**
 * The gate a client is connected to is draining (shutting down): it accepts no new connections,
 * keeps serving this one for {@code graceMs} more, then closes it. A client reconnects to another
 * gate within that time and moves its calls there; calls already in flight on this connection are
 * still answered.
 * <p>
 * On the wire it is an unsafe push (PROTOCOL.md section 15) with {@code ClientId} {@code ""} of the
 * call {@code ["Draining", {"GraceMs": <ms left>, "Gate": "<host:port>"}]}; {@code Draining} is a
 * reserved push method, as {@code Kicked} is.
 *
 * @param graceMs how long the gate keeps the connection open from when it sent the push
 * @param gate the draining gate's id ({@code host:port})
 */
public record GateDraining(long graceMs, String gate) {

  /** The push method a gate sends when it starts draining. */
  public static final String METHOD = "Draining";
}
