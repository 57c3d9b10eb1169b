package io.weft.gate.impl;

import io.weft.core.conn.MeshConnection;
import io.weft.core.protocol.Envelope.Caller;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One client connection of a gate instance: its id, who it is, its order-key bindings, and the
 * client ids logged in on it (several: a game server hosts many players).
 */
public final class ClientSession {

  public final String connId;
  public final OrderPins pins = new OrderPins();
  public MeshConnection connection;
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

  /** A call is attributed to a client id only when exactly one is logged in on the connection. */
  private void recomputeCaller() {
    String only = clientIds.size() == 1 ? clientIds.iterator().next() : null;
    caller = new Caller(gateId, connId, only, label);
  }
}
