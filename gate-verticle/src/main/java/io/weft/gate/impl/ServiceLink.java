package io.weft.gate.impl;

import io.weft.core.conn.MeshConnection;
import io.weft.core.discovery.ServiceInstance;
import io.weft.core.lb.Endpoint;
import io.weft.core.protocol.Envelope.Caller;
import io.weft.core.protocol.Envelope.MethodAccess;
import java.util.Map;

/**
 * A gate instance's connection to one service instance, and what it knows of it. A link is
 * routable once connected and the instance has reported its methods; it is retired when the
 * instance leaves the registry, and then closes as soon as its calls in flight are answered.
 */
public final class ServiceLink implements Endpoint {

  enum State { CONNECTING, CONNECTED, READY, CLOSED }

  private ServiceInstance instance;
  MeshConnection connection;
  State state = State.CONNECTING;
  Map<String, MethodAccess> methods = Map.of();
  boolean retired;
  long backoffMs;
  long reconnectTimer = -1;
  private int active;
  private Caller caller;

  ServiceLink(ServiceInstance instance) {
    this.instance = instance;
  }

  ServiceInstance instance() {
    return instance;
  }

  void instance(ServiceInstance instance) {
    this.instance = instance;
    this.caller = null;
  }

  /** The connection s2s calls from this instance are answered on. */
  public MeshConnection connectionForReplies() {
    return connection;
  }

  /** Who an s2s call from this instance comes from, as told to the callee. */
  public Caller caller(String gateId) {
    Caller c = caller;
    if (c == null || !gateId.equals(c.gate())) {
      c = new Caller(gateId, null, null, instance.serviceKey() + "@" + instance.id());
      caller = c;
    }
    return c;
  }

  String serviceKey() {
    return instance.serviceKey();
  }

  boolean isReady() {
    return state == State.READY && !retired;
  }

  void callStarted() {
    active++;
  }

  void callEnded() {
    active--;
  }

  @Override
  public String id() {
    return instance.id();
  }

  @Override
  public int weight() {
    return instance.weight();
  }

  @Override
  public Map<String, String> tags() {
    return instance.tags();
  }

  @Override
  public int activeCalls() {
    return active;
  }

  @Override
  public String toString() {
    return "ServiceLink[" + instance.serviceKey() + "@" + instance.id() + ", " + state + (retired ? ", retired" : "") + "]";
  }
}
