package io.weft.gate.impl;

import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.weft.core.Code;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.LoginRequest;
import io.weft.core.protocol.Envelope.LogoffRequest;
import io.weft.core.protocol.Envelope.RouteRequest;
import io.weft.core.protocol.Envelope.RouteResponse;
import io.weft.core.session.Session;
import io.weft.core.session.SessionDirectory;
import io.weft.gate.PushSettings;
import java.util.HashMap;
import java.util.Map;

/**
 * Logins of one gate instance (PROTOCOL.md sections 5 and 8): binds client ids to connections
 * in the session directory, answers {@code MSG_GATE_LOGIN}/{@code MSG_GATE_LOGOFF} under their
 * Rid, asks the push service to restore safe pushes after a login, kicks the old connection when
 * a client id logs in again elsewhere, unbinds on disconnect, and keeps the bindings of live
 * connections from expiring.
 */
public final class Logins {

  private static final Logger log = LoggerFactory.getLogger(Logins.class);

  private final Vertx vertx;
  private final SessionDirectory directory;
  private final PushSettings push;
  private final Router router;
  private final PushDelivery delivery;
  private final String gateId;
  private final Map<String, ClientSession> sessions;
  private long refreshTimer = -1;

  public Logins(Vertx vertx, SessionDirectory directory, PushSettings push, Router router, PushDelivery delivery,
                String gateId, Map<String, ClientSession> sessions) {
    this.vertx = vertx;
    this.directory = directory;
    this.push = push;
    this.router = router;
    this.delivery = delivery;
    this.gateId = gateId;
    this.sessions = sessions;
  }

  /** Starts refreshing the bindings of live connections every {@code periodMs}. */
  public void startRefreshing(long periodMs) {
    refreshTimer = vertx.setPeriodic(periodMs, t -> refresh());
  }

  public void login(ClientSession session, LoginRequest login) {
    String clientId = login.clientId();
    if (clientId == null || clientId.isEmpty() || clientId.length() > 256) {
      answer(session, login.rid(), Code.INVALID_ARGUMENT, "a login needs a ClientId of 1 to 256 characters");
      return;
    }
    directory.bind(Session.now(clientId, gateId, session.connId)).onComplete(ar -> {
      if (ar.failed()) {
        answer(session, login.rid(), Code.UNAVAILABLE, "the session directory is unavailable: " + ar.cause().getMessage());
        return;
      }
      if (!session.connection.isOpen()) {
        // Closed while the bind was on its way: its close already unbound what it had.
        directory.unbind(clientId, session.connId);
        return;
      }
      session.addClientId(clientId);
      answer(session, login.rid(), Code.OK, null);
      Session previous = ar.result();
      if (previous != null && push.kickOnRelogin()) {
        kick(previous);
      }
      callPush(session, "Restore", Map.of("ClientId", clientId));
    });
  }

  public void logoff(ClientSession session, LogoffRequest logoff) {
    String clientId = logoff.clientId();
    if (clientId == null || !session.removeClientId(clientId)) {
      answer(session, logoff.rid(), Code.FAILED_PRECONDITION, "client id " + clientId + " is not logged in here");
      return;
    }
    directory.unbind(clientId, session.connId).onComplete(ar ->
        answer(session, logoff.rid(), ar.succeeded() ? Code.OK : Code.UNAVAILABLE,
            ar.succeeded() ? null : "the session directory is unavailable: " + ar.cause().getMessage()));
  }

  /** The connection closed: its client ids are logged off, where they still point at it. */
  public void disconnected(ClientSession session) {
    for (String clientId : session.clientIds()) {
      directory.unbind(clientId, session.connId);
    }
  }

  /** A client acknowledged a safe push: the push service marks it arrived. */
  public void pushReplied(ClientSession session, Envelope.PushReply reply) {
    if (reply.clientId() != null && reply.pushId() != null && !reply.pushId().isEmpty()
        && session.loggedIn(reply.clientId())) {
      callPush(session, "Reply", Map.of("ClientId", reply.clientId(), "PushId", reply.pushId()));
    }
  }

  private void kick(Session previous) {
    if (previous.gate().equals(gateId)) {
      delivery.kick(previous.conn(), previous.clientId());
      return;
    }
    ClientSession any = sessions.values().stream().findAny().orElse(null);
    if (any != null) {
      callPush(any, "Kick", Map.of("ClientId", previous.clientId(), "Gate", previous.gate(), "ConnId", previous.conn()));
    }
  }

  /** A one-way call to the push service, made by the gate on behalf of {@code session}. */
  private void callPush(ClientSession session, String method, Map<String, Object> args) {
    // The gate itself makes these calls: trusted like a service, not held to a client's limits.
    router.route(session.connection, session.caller(), session.pins, session.connId, true,
        new RouteRequest(0, push.namespace(), push.service(), Unpooled.wrappedBuffer(ArgsCodec.encodeInnerRpc(method, args)),
            Envelope.ABSENT, null, null, null, null));
  }

  private void refresh() {
    Map<String, String> bindings = new HashMap<>();
    for (ClientSession session : sessions.values()) {
      for (String clientId : session.clientIds()) {
        bindings.put(clientId, session.connId);
      }
    }
    if (bindings.isEmpty()) {
      return;
    }
    directory.refreshAll(bindings).onComplete(ar -> {
      if (ar.failed()) {
        log.warn("Cannot refresh " + bindings.size() + " session(s): " + ar.cause().getMessage());
        return;
      }
      for (String lost : ar.result()) {
        // Lost to a newer login elsewhere (or with the store's data): this connection no longer holds it.
        ClientSession session = sessions.get(bindings.get(lost));
        if (session != null) {
          session.removeClientId(lost);
        }
      }
    });
  }

  public void close() {
    if (refreshTimer >= 0) {
      vertx.cancelTimer(refreshTimer);
    }
  }

  private static void answer(ClientSession session, long rid, Code code, String error) {
    if (rid != 0) {
      session.connection.send(new RouteResponse(rid, code.value(), error, null));
    }
  }
}
