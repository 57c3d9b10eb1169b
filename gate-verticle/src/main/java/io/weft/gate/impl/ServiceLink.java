package io.weft.gate.impl;

import io.weft.core.callback.TaskClock;
import io.weft.core.conn.MeshConnection;
import io.weft.core.discovery.ServiceInstance;
import io.weft.core.lb.Endpoint;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.weft.core.protocol.Envelope.Caller;
import io.weft.core.protocol.Envelope.MethodAccess;
import java.util.Map;

/**
 * A gate instance's connection to one service instance, and what it knows of it. A link is
 * routable once connected and the instance has reported its methods; it is retired when the
 * instance leaves the registry, and then closes as soon as its calls in flight are answered. A
 * draining instance (it sent {@code MSG_DRAINING}) gets no new calls and closes the link itself.
 */
public final class ServiceLink implements Endpoint {

  enum State { CONNECTING, CONNECTED, READY, CLOSED }

  private ServiceInstance instance;
  MeshConnection connection;
  State state = State.CONNECTING;
  Map<String, MethodAccess> methods = Map.of();
  boolean retired;
  /** The instance said it is draining: no new calls; it closes the connection when done. */
  boolean draining;
  long backoffMs;
  long reconnectTimer = -1;
  private int active;
  private Caller caller;
  /** Order keys of s2s calls made by this instance. */
  private final OrderPins pins = new OrderPins();

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

  /** Order-key bindings of the s2s calls this instance makes. */
  public OrderPins pins() {
    return pins;
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

  /** Routable for new calls: {@link #isRoutable()}, and not {@link #congested}. */
  boolean isReady() {
    return !congested && isRoutable();
  }

  /**
   * Connected, reported, registered, not draining, not ejected, and its circuit not open: an order
   * key bound to it stays bound, congested or not, so that its calls keep their order.
   */
  boolean isRoutable() {
    return state == State.READY && !retired && !draining && !ejected && (breaker == null
        || breaker.getState() != CircuitBreaker.State.OPEN && breaker.getState() != CircuitBreaker.State.FORCED_OPEN);
  }

  /**
   * Calls written to the instance and not yet sent pass the link's high-water mark: the instance
   * (or the network) is not keeping up, so new calls go to other instances until it drains,
   * instead of piling up until the link is closed as a slow reader.
   */
  boolean congested;

  /** When the link last became {@link #congested}. */
  long congestedSinceNanos;

  // ---------------------------------------------------------------- health: breaker and outliers

  /** The instance's circuit breaker (set when the link is created). */
  CircuitBreaker breaker;
  /** Failures in a row, for the breaker's consecutive-failures rule. */
  int consecutiveFailures;
  /** Taken out of rotation by outlier detection until {@code ejectTimer} fires. */
  boolean ejected;
  long ejectTimer = -1;
  long breakerTimer = -1;
  /** Calls and successes since the last outlier check. */
  long intervalCalls;
  long intervalSuccesses;

  /** The method flags this instance reported, or {@code null}. */
  MethodAccess method(String name) {
    return name == null ? null : methods.get(name);
  }

  /** Time over which old latency samples fade (peak-sensitive EWMA, as Finagle's). */
  private static final double DECAY_NANOS = 1e9;

  private double latencyEwma;
  private long lastSampleNanos;

  void callStarted() {
    active++;
  }

  void callEnded() {
    active--;
  }

  /**
   * Folds one reply's latency into the average: a slower reply counts at once (a degrading
   * instance is noticed on its first slow answer), faster ones pull the average down over time.
   */
  void recordLatency(long latencyNanos, long nowNanos) {
    double weight = Math.exp(-(nowNanos - lastSampleNanos) / DECAY_NANOS);
    double decayed = latencyEwma * weight;
    latencyEwma = latencyNanos > decayed ? latencyNanos : decayed + latencyNanos * (1 - weight);
    lastSampleNanos = nowNanos;
  }

  /**
   * The average as of now: it fades while no reply comes, so an instance that lost the balancer's
   * favour (it was slow once, or was away) is tried again instead of being starved forever on a
   * stale figure.
   */
  @Override
  public double latencyEwmaNanos() {
    if (latencyEwma == 0) {
      return 0;
    }
    return latencyEwma * Math.exp(-(TaskClock.nanoTime() - lastSampleNanos) / DECAY_NANOS);
  }

  /** A new connection starts with a clean record. */
  void resetLatency() {
    latencyEwma = 0;
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
    return "ServiceLink[" + instance.serviceKey() + "@" + instance.id() + ", " + state + (retired ? ", retired" : "")
        + (draining ? ", draining" : "") + "]";
  }
}
