package io.weft.gate.impl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.codec.InnerRpc;
import io.weft.core.codec.LocalCodec;
import io.weft.core.protocol.Envelope.ClientPush;
import io.weft.core.protocol.Envelope.GatePush;
import io.weft.core.trace.CallLogger;
import io.weft.core.trace.CallSpan;
import io.weft.core.trace.MeshTracing;
import io.weft.gate.PushSettings;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import java.util.Map;

/**
 * Delivers pushes to the client connections of a gate instance (PROTOCOL.md section 6,
 * {@code MSG_P2G_PUSH}): to the connection named, only if the client id is still logged in on
 * it. A connection owned by another instance of the same gate is reached over the event bus
 * (its id starts with that instance's boot id). A {@code Kicked} push ends the client id's login
 * on that connection once delivered. A push carries the {@code Trace} of the call that pushed on
 * to the client; with tracing on, the gate's span of the delivery is its parent.
 */
public final class PushDelivery {

  /** A push crossing from one gate instance to another. */
  record Delivery(String connId, String clientId, String pushId, byte[] innerRpc, String trace, CallSpan span) {
  }

  private static final CallLogger callLog = CallLogger.get(PushDelivery.class);
  private static final Attributes SPAN_ATTRIBUTES = Attributes.of(MeshTracing.RPC_SYSTEM, "weft");

  private final Vertx vertx;
  private final MeshTracing tracing;
  private final String bootId;
  private final Map<String, ClientSession> sessions;
  private MessageConsumer<Delivery> consumer;
  private long delivered;
  private long dropped;
  private GateMeters meters;

  public PushDelivery(Vertx vertx, String bootId, Map<String, ClientSession> sessions) {
    this(vertx, bootId, sessions, MeshTracing.OFF);
  }

  public PushDelivery(Vertx vertx, String bootId, Map<String, ClientSession> sessions, MeshTracing tracing) {
    this.vertx = vertx;
    this.tracing = tracing;
    this.bootId = bootId;
    this.sessions = sessions;
  }

  /** The event-bus address of the gate instance with this boot id. */
  static String address(String bootId) {
    return "weft.gate." + bootId;
  }

  /** A connection id is {@code <bootId>-<n>}. */
  static String bootOf(String connId) {
    int dash = connId.indexOf('-');
    return dash < 0 ? connId : connId.substring(0, dash);
  }

  /** Counts pushes in the gate's meters from now on. */
  public void meters(GateMeters meters) {
    this.meters = meters;
  }

  public Future<Void> start() {
    LocalCodec.registerOnce(vertx.eventBus(), Delivery.class);
    consumer = vertx.eventBus().localConsumer(address(bootId), m -> deliver(m.body().connId(), m.body().clientId(),
        m.body().pushId(), Unpooled.wrappedBuffer(m.body().innerRpc()), m.body().trace(), m.body().span()));
    return consumer.completion();
  }

  public Future<Void> close() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** A push the push service sent to this gate. */
  public void fromPushService(GatePush push) {
    if (push.connId() == null || push.clientId() == null || push.innerRpc() == null) {
      drop();
      callLog.debug(push.trace(), "Dropped a push missing ConnId, ClientId or InnerRpc");
      return;
    }
    String trace = push.trace();
    CallSpan span = null;
    if (tracing.enabled()) {
      span = tracing.start("push", SpanKind.CONSUMER, trace, SPAN_ATTRIBUTES);
      trace = span.traceparent();
    }
    route(push.connId(), push.clientId(), push.pushId() == null ? "" : push.pushId(), push.innerRpc(), trace, span);
  }

  /** Tells a connection of this gate that its client id logged in elsewhere. */
  public void kick(String connId, String clientId) {
    route(connId, clientId, "", Unpooled.wrappedBuffer(
        ArgsCodec.encodeInnerRpc(PushSettings.KICKED, Map.of("ClientId", clientId))), null, null);
  }

  private void route(String connId, String clientId, String pushId, ByteBuf innerRpc, String trace, CallSpan span) {
    String boot = bootOf(connId);
    if (boot.equals(bootId)) {
      deliver(connId, clientId, pushId, innerRpc, trace, span);
    } else {
      // Another instance of this gate, or a gate that restarted since: the latter has no consumer.
      vertx.eventBus().send(address(boot), new Delivery(connId, clientId, pushId, ByteBufUtil.getBytes(innerRpc), trace,
          span));
    }
  }

  private void deliver(String connId, String clientId, String pushId, ByteBuf innerRpc, String trace, CallSpan span) {
    ClientSession session = sessions.get(connId);
    String method = InnerRpc.peekMethod(innerRpc);
    if (session == null || !session.loggedIn(clientId) || !session.connection.isOpen()) {
      // Gone or logged off: a safe push stays stored and comes back with the next login.
      drop();
      ended(span, method, false);
      if (callLog.isDebugEnabled()) {
        callLog.debug(trace, "Dropped push " + method + (pushId.isEmpty() ? "" : " " + pushId) + " to " + clientId
            + ": not logged in on " + connId);
      }
      return;
    }
    session.connection.send(new ClientPush(clientId, pushId, innerRpc, trace));
    delivered++;
    if (meters != null) {
      meters.pushesDelivered.increment();
    }
    ended(span, method, true);
    if (callLog.isDebugEnabled()) {
      callLog.debug(trace, "Pushed " + method + (pushId.isEmpty() ? "" : " " + pushId) + " to " + clientId + " on "
          + connId);
    }
    if (PushSettings.KICKED.equals(method)) {
      session.removeClientId(clientId);
    }
  }

  private void drop() {
    dropped++;
    if (meters != null) {
      meters.pushesDropped.increment();
    }
  }

  private static void ended(CallSpan span, String method, boolean deliveredNow) {
    if (span != null) {
      span.set(MeshTracing.RPC_METHOD, method).set(MeshTracing.DELIVERED, deliveredNow).end(0, null);
    }
  }

  public long delivered() {
    return delivered;
  }

  public long dropped() {
    return dropped;
  }
}
