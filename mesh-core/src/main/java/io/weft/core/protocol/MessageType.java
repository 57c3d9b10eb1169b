package io.weft.core.protocol;

import java.util.HashMap;
import java.util.Map;

/** Every message name of PROTOCOL.md sections 5, 6 and 15, with the string sent on the wire. */
public enum MessageType {
  C2G_AUTH("MSG_C2G_AUTH"),
  G2C_AUTH_RSP("MSG_G2C_AUTH_RSP"),
  C2G_RPC_ROUTE("MSG_C2G_RPC_ROUTE"),
  G2C_RPC_RSP("MSG_G2C_RPC_RSP"),
  GATE_LOGIN("MSG_GATE_LOGIN"),
  GATE_LOGOFF("MSG_GATE_LOGOFF"),
  G2C_PUSH("MSG_G2C_PUSH"),
  PUSH_REPLY("MSG_PUSH_REPLY"),
  HEART_BEAT_REQ("MSG_HEART_BEAT_REQ"),
  HEART_BEAT_RSP("MSG_HEART_BEAT_RSP"),
  ERROR("MSG_ERROR"),
  S2G_RPC_ACCESS_REPORT("MSG_S2G_RPC_ACCESS_REPORT"),
  G2S_RPC_CALL("MSG_G2S_RPC_CALL"),
  S2G_RPC_RSP("MSG_S2G_RPC_RSP"),
  P2G_REQ_LISTENADDR("MSG_P2G_REQ_LISTENADDR"),
  G2P_RSP_LISTENADDR("MSG_G2P_RSP_LISTENADDR"),
  P2G_PUSH("MSG_P2G_PUSH"),
  DRAINING("MSG_DRAINING"),
  DRAINING_ACK("MSG_DRAINING_ACK"),
  /** A name this version does not know; never sent. */
  UNKNOWN("");

  private static final Map<String, MessageType> BY_WIRE_NAME = new HashMap<>();

  static {
    for (MessageType t : values()) {
      if (t != UNKNOWN) {
        BY_WIRE_NAME.put(t.wireName, t);
      }
    }
  }

  private final String wireName;

  MessageType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The type named {@code wireName}, or {@link #UNKNOWN}. */
  public static MessageType ofWireName(String wireName) {
    return BY_WIRE_NAME.getOrDefault(wireName, UNKNOWN);
  }
}
