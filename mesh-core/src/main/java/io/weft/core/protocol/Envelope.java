package io.weft.core.protocol;

import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.Objects;

/**
 * One message of the wire protocol (PROTOCOL.md sections 5, 6 and 15): a record per message name.
 * <p>
 * Optional strings are {@code null} when absent; optional non-negative integers are
 * {@link #ABSENT} ({@code -1}). {@code bin} fields ({@code InnerRpc}, {@code Reply}) are
 * {@link ByteBuf} views. In a decoded envelope they point into the received frame and are valid
 * only until the handler that received it returns: copy what must outlive it.
 */
public sealed interface Envelope {

  /** The value of an optional integer field that was not sent. */
  long ABSENT = -1;

  MessageType type();

  /** {@code MSG_C2G_AUTH}: the first message of a client on an external gate. */
  record AuthRequest(int version, String token, String client) implements Envelope {
    public MessageType type() {
      return MessageType.C2G_AUTH;
    }
  }

  /** {@code MSG_G2C_AUTH_RSP}. */
  record AuthResponse(int code, String error, String connId, String gate, int heartbeatSec) implements Envelope {
    public MessageType type() {
      return MessageType.G2C_AUTH_RSP;
    }
  }

  /**
   * {@code MSG_C2G_RPC_ROUTE}: a call to a service, from a client or (s2s) from a service.
   *
   * @param timeoutMs the caller's budget in ms from now, or {@link #ABSENT}
   * @param tags route only to instances carrying all of these; empty when absent
   * @param failMode {@code failfast|failover|failretry|failsafe} for this call, or {@code null}
   *     for the service's configured mode (docs/PROTOCOL.md section 10)
   * @param broadcast call every eligible instance and gather the replies (section 10)
   */
  record RouteRequest(long rid, String namespace, String serviceName, ByteBuf innerRpc, long timeoutMs,
                      String orderKey, String hashKey, Map<String, String> tags, String trace, String failMode,
                      boolean broadcast) implements Envelope {
    public RouteRequest {
      tags = tags == null ? Map.of() : tags;
    }

    /** A unicast call with the service's own fail mode. */
    public RouteRequest(long rid, String namespace, String serviceName, ByteBuf innerRpc, long timeoutMs,
                        String orderKey, String hashKey, Map<String, String> tags, String trace) {
      this(rid, namespace, serviceName, innerRpc, timeoutMs, orderKey, hashKey, tags, trace, null, false);
    }

    public MessageType type() {
      return MessageType.C2G_RPC_ROUTE;
    }

    public boolean oneWay() {
      return rid == 0;
    }
  }

  /** {@code MSG_G2C_RPC_RSP}: the one answer to a {@link RouteRequest}, login or logoff. */
  record RouteResponse(long rid, int code, String error, ByteBuf reply) implements Envelope {
    public MessageType type() {
      return MessageType.G2C_RPC_RSP;
    }
  }

  /** {@code MSG_GATE_LOGIN}. */
  record LoginRequest(long rid, String clientId) implements Envelope {
    public MessageType type() {
      return MessageType.GATE_LOGIN;
    }
  }

  /** {@code MSG_GATE_LOGOFF}. */
  record LogoffRequest(long rid, String clientId) implements Envelope {
    public MessageType type() {
      return MessageType.GATE_LOGOFF;
    }
  }

  /**
   * {@code MSG_G2C_PUSH}: a server-to-client call; {@code pushId} is empty for unsafe pushes.
   *
   * @param trace the {@code traceparent} of the call that pushed, or {@code null}
   */
  record ClientPush(String clientId, String pushId, ByteBuf innerRpc, String trace) implements Envelope {
    /** A push without a trace. */
    public ClientPush(String clientId, String pushId, ByteBuf innerRpc) {
      this(clientId, pushId, innerRpc, null);
    }

    public MessageType type() {
      return MessageType.G2C_PUSH;
    }
  }

  /** {@code MSG_PUSH_REPLY}: a client acknowledges a safe push. */
  record PushReply(String clientId, String pushId) implements Envelope {
    public MessageType type() {
      return MessageType.PUSH_REPLY;
    }
  }

  /** {@code MSG_HEART_BEAT_REQ}. */
  record HeartbeatRequest() implements Envelope {
    public static final HeartbeatRequest INSTANCE = new HeartbeatRequest();

    public MessageType type() {
      return MessageType.HEART_BEAT_REQ;
    }
  }

  /** {@code MSG_HEART_BEAT_RSP}. */
  record HeartbeatResponse() implements Envelope {
    public static final HeartbeatResponse INSTANCE = new HeartbeatResponse();

    public MessageType type() {
      return MessageType.HEART_BEAT_RSP;
    }
  }

  /** {@code MSG_ERROR}: a problem not tied to one request. */
  record ErrorNotice(int code, String error) implements Envelope {
    public MessageType type() {
      return MessageType.ERROR;
    }
  }

  /** {@code MSG_S2G_RPC_ACCESS_REPORT}: what a service instance serves, sent when it accepts a gate. */
  record AccessReport(String namespace, String serviceName, String instance, Map<String, MethodAccess> rpcs)
      implements Envelope {
    public AccessReport {
      rpcs = rpcs == null ? Map.of() : rpcs;
    }

    public MessageType type() {
      return MessageType.S2G_RPC_ACCESS_REPORT;
    }
  }

  /** One method's entry in an {@link AccessReport}. */
  record MethodAccess(boolean isPublic, boolean idempotent, boolean ordered) {
  }

  /**
   * {@code MSG_G2S_RPC_CALL}: the gate hands a call to a service instance.
   *
   * @param grid the gate's id for the call; 0 for one-way
   * @param timeoutMs ms left of the caller's budget when the gate sent it, or {@link #ABSENT}
   * @param caller who called; {@code null} when absent
   */
  record ServiceCall(long grid, ByteBuf innerRpc, long timeoutMs, String orderKey, String trace, Caller caller)
      implements Envelope {
    public MessageType type() {
      return MessageType.G2S_RPC_CALL;
    }
  }

  /** The {@code Caller} map of a {@link ServiceCall}; any field may be {@code null}. */
  record Caller(String gate, String connId, String clientId, String client) {
  }

  /**
   * {@code MSG_S2G_RPC_RSP}: a service answers a {@link ServiceCall}.
   *
   * @param refused the call's {@code InnerRpc}, handed back when the instance refused the call
   *     without running it because it is draining (PROTOCOL.md section 15); {@code null} otherwise
   */
  record ServiceReply(long grid, int code, String error, ByteBuf reply, ByteBuf refused) implements Envelope {
    public ServiceReply(long grid, int code, String error, ByteBuf reply) {
      this(grid, code, error, reply, null);
    }

    public MessageType type() {
      return MessageType.S2G_RPC_RSP;
    }
  }

  /** {@code MSG_P2G_REQ_LISTENADDR}: the push service asks a gate for its id. */
  record ListenAddrRequest(long rid) implements Envelope {
    public MessageType type() {
      return MessageType.P2G_REQ_LISTENADDR;
    }
  }

  /** {@code MSG_G2P_RSP_LISTENADDR}. */
  record ListenAddrResponse(long rid, String addr) implements Envelope {
    public MessageType type() {
      return MessageType.G2P_RSP_LISTENADDR;
    }
  }

  /**
   * {@code MSG_P2G_PUSH}: the push service asks a gate to deliver a push to one of its connections.
   *
   * @param trace the {@code traceparent} of the call that pushed, or {@code null}
   */
  record GatePush(String connId, String clientId, String pushId, ByteBuf innerRpc, String trace) implements Envelope {
    /** A push without a trace. */
    public GatePush(String connId, String clientId, String pushId, ByteBuf innerRpc) {
      this(connId, clientId, pushId, innerRpc, null);
    }

    public MessageType type() {
      return MessageType.P2G_PUSH;
    }
  }

  /**
   * {@code MSG_DRAINING}: the sender (a service instance or a gate) is draining; the receiver sends
   * it no new calls and answers {@link DrainingAck} (PROTOCOL.md section 15).
   */
  record Draining() implements Envelope {
    public static final Draining INSTANCE = new Draining();

    public MessageType type() {
      return MessageType.DRAINING;
    }
  }

  /** {@code MSG_DRAINING_ACK}: every call sent before it on this connection is ahead of it. */
  record DrainingAck() implements Envelope {
    public static final DrainingAck INSTANCE = new DrainingAck();

    public MessageType type() {
      return MessageType.DRAINING_ACK;
    }
  }

  /** A well-formed message whose name this version does not know (answered 12, or closed before auth). */
  record UnknownMessage(String name) implements Envelope {
    public UnknownMessage {
      Objects.requireNonNull(name, "name");
    }

    public MessageType type() {
      return MessageType.UNKNOWN;
    }
  }
}
