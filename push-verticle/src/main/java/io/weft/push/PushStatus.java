package io.weft.push;

/**
 * Where a safe push stands (PROTOCOL.md section 9, field {@code status}): stored and not yet
 * acknowledged by its client, or acknowledged. The names are the stored values.
 */
public enum PushStatus {
  /** Stored before it was sent; sent again on the client's next {@code Restore} until acknowledged. */
  UNARRIVE,
  /** The client acknowledged it ({@code push.Reply}); kept until it expires, for inspection only. */
  ARRIVED
}
