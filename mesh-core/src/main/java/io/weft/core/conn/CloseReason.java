package io.weft.core.conn;

/** Why a {@link MeshConnection} closed. */
public enum CloseReason {
  /** Closed by this side on purpose. */
  LOCAL,
  /** The peer closed, or the socket failed. */
  PEER,
  /** Nothing was received for {@code heartbeatDeadMs}. */
  HEARTBEAT_DEAD,
  /** The peer sent a frame that breaks the protocol (oversized, empty, malformed). */
  PROTOCOL_ERROR,
  /** The peer let more than {@code maxPendingWriteBytes} pile up unread. */
  SLOW_READER
}
