package io.weft.gate.impl;

import io.weft.core.auth.Principal;
import io.weft.core.conn.MeshConnection;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.Caller;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One client connection of a gate instance: its id, who it is, its order-key bindings, and the
 * client ids logged in on it (several: a game server hosts many players).
 */
public final class ClientSession {

  /** Where a connection to an external gate stands with authentication. */
  public enum AuthState {
    /** Only {@code MSG_C2G_AUTH} (and heartbeats) may come. */
    AWAITING,
    /** The token is being verified: frames that come meanwhile wait in {@link #held}. */
    VERIFYING,
    /** Authenticated (or on an internal gate, which trusts its peers). */
    AUTHENTICATED
  }

  /** Frames held while a token is verified, at most this many; one more closes the connection. */
  public static final int MAX_HELD = 16;

  public final String connId;
  public final OrderPins pins = new OrderPins();
  public MeshConnection connection;
  /** The client's address, as the connection limits count it. */
  public InetAddress ip;
  public AuthState auth = AuthState.AUTHENTICATED;
  /** The authenticated principal, on an external gate. */
  public Principal principal;
  public long authTimer = -1;
  /** Frames that came while the token was being verified, copied out of their read buffer. */
  public final ArrayDeque<Envelope> held = new ArrayDeque<>(0);
  /** Calls in flight on this connection, against {@code maxInFlightPerConnection}. */
  public CallCounter calls;
  /** When the client last sent a request (not a heartbeat), {@code System.nanoTime()}. */
  public long lastRequestNanos = System.nanoTime();
  /** Reading is paused while the token is verified, or while the client does not read its replies. */
  public boolean pausedForAuth;
  public boolean pausedForWrites;
  private final String gateId;
  private final Set<String> clientIds = new LinkedHashSet<>(2);
  private String label;
  private Caller caller;

  public ClientSession(String connId, String gateId) {
    this.connId = connId;
    this.gateId = gateId;
    this.caller = new Caller(gateId, connId, null, null);
  }

  /** Who calls through this connection, as told to services. */
  public Caller caller() {
    return caller;
  }

  /** The client's label, from its auth. */
  public void label(String label) {
    this.label = label;
    recomputeCaller();
  }

  public String label() {
    return label;
  }

  public Set<String> clientIds() {
    return clientIds;
  }

  public boolean loggedIn(String clientId) {
    return clientIds.contains(clientId);
  }

  void addClientId(String clientId) {
    clientIds.add(clientId);
    recomputeCaller();
  }

  boolean removeClientId(String clientId) {
    boolean removed = clientIds.remove(clientId);
    recomputeCaller();
    return removed;
  }

  /** Pauses or resumes reading the client, as the two reasons to pause say. */
  public void updateReading() {
    if (connection != null) {
      connection.pauseReading(pausedForAuth || pausedForWrites);
    }
  }

  /** A call is attributed to a client id only when exactly one is logged in on the connection. */
  private void recomputeCaller() {
    String only = clientIds.size() == 1 ? clientIds.iterator().next() : null;
    caller = new Caller(gateId, connId, only, label);
  }
}
