package io.weft.gate.impl;

import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.weft.core.conn.CloseReason;
import io.weft.core.conn.MeshConnection;
import io.weft.core.discovery.ServiceEvent;
import io.weft.core.discovery.ServiceInstance;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.AccessReport;
import io.weft.gate.GateOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A gate instance's view of the services: one {@link ServiceLink} per registered instance,
 * dialled with backoff, grouped in a {@link ServicePool} per service.
 * <p>
 * An instance becomes routable when its connection is up and it has sent its access report. It
 * stops being routable when its connection closes (the peer closed, crashed, or stopped answering
 * heartbeats), and is then dialled again for as long as it stays registered; when it leaves the
 * registry it is retired, and its connection closes once its calls in flight are answered. An
 * instance that says it is draining ({@code MSG_DRAINING}) stops being routable at once, is
 * acknowledged ({@code MSG_DRAINING_ACK}: no call follows on the link), and closes the link itself.
 */
public final class ServiceDirectory {

  private static final Logger log = LoggerFactory.getLogger(ServiceDirectory.class);

  /** What the directory reports to the gate. */
  public interface Listener {
    /** A frame from a routable or connecting link, other than its access report. */
    void received(ServiceLink link, Envelope envelope);

    /** The link's connection closed; its calls in flight must be answered now. */
    void lost(ServiceLink link);
  }

  private final Vertx vertx;
  private final GateOptions options;
  private final NetClient client;
  private final Listener listener;
  private final Map<String, ServicePool> pools = new HashMap<>();
  private final Map<String, ServiceLink> links = new HashMap<>();
  private boolean closed;
  /** The gate itself is draining: every instance it connects to is told so. */
  private boolean gateDraining;
  private io.vertx.core.Promise<Void> settled;
  private GateMeters meters;

  public ServiceDirectory(Vertx vertx, GateOptions options, Listener listener) {
    this.vertx = vertx;
    this.options = options;
    this.listener = listener;
    NetClientOptions clientOptions = new NetClientOptions()
        .setTcpNoDelay(true)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1000, options.getReconnectMaxMs())));
    if (options.getServiceTls() != null) {
      options.getServiceTls().applyTo(clientOptions);
    }
    this.client = vertx.createNetClient(clientOptions);
    if (options.getOutliers().enabled()) {
      outlierTimer = vertx.setPeriodic(options.getOutliers().intervalMs(),
          t -> pools.values().forEach(p -> p.detectOutliers(options.getOutliers())));
    }
  }

  private long outlierTimer = -1;

  /** The gate's meters: every pool made from now on records its calls in them. */
  public void meters(GateMeters meters) {
    this.meters = meters;
  }

  /** The pool of a service, or {@code null} when the gate has never seen an instance of it. */
  public ServicePool pool(String namespace, String service) {
    return pools.get(namespace + "/" + service);
  }

  public Collection<ServicePool> pools() {
    return pools.values();
  }

  /** Applies a registry change. */
  public void apply(ServiceEvent event) {
    if (closed) {
      return;
    }
    ServiceInstance instance = event.instance();
    String key = instance.serviceKey() + "/" + instance.id();
    ServiceLink link = links.get(key);
    if (event.kind() == ServiceEvent.Kind.UP) {
      if (link == null) {
        link = new ServiceLink(instance);
        links.put(key, link);
        connect(link);
      } else {
        link.instance(instance);
        if (link.retired) {
          link.retired = false;
          if (link.state == ServiceLink.State.CLOSED) {
            connect(link);
          }
        }
        poolOf(link).update(link);
      }
    } else if (link != null) {
      retire(link);
    }
  }

  /**
   * Completes once every instance known now has been dialled and has either reported (routable)
   * or failed once, or after {@code maxWaitMs}: a gate that has just started is not yet routing
   * to instances that were already registered, and should not claim to be until it is.
   */
  public io.vertx.core.Future<Void> settled(long maxWaitMs) {
    if (settled == null) {
      settled = io.vertx.core.Promise.promise();
      long timer = vertx.setTimer(maxWaitMs, t -> settled.tryComplete());
      settled.future().onComplete(v -> vertx.cancelTimer(timer));
      checkSettled();
    }
    return settled.future();
  }

  private void checkSettled() {
    if (settled == null || settled.future().isComplete()) {
      return;
    }
    for (ServiceLink link : links.values()) {
      if (!link.retired && (link.state == ServiceLink.State.CONNECTING || link.state == ServiceLink.State.CONNECTED)
          && link.backoffMs == 0) {
        return;
      }
    }
    settled.tryComplete();
  }

  /** Closes a retired link once nothing is in flight on it (a draining instance closes its own). */
  public void callEnded(ServiceLink link) {
    link.callEnded();
    if (link.retired && !link.draining && link.activeCalls() == 0 && link.connection != null) {
      link.connection.close();
    }
  }

  /**
   * The instance behind {@code link} is draining (it said so, or refused a call as draining):
   * it gets no new calls, and its link stays open until the instance closes it, for the answers
   * of its calls in flight and the calls it makes through this gate meanwhile.
   */
  public void draining(ServiceLink link) {
    if (!link.draining) {
      link.draining = true;
      poolOf(link).update(link);
      log.info("Instance " + link.serviceKey() + "@" + link.id() + " is draining: no new calls");
    }
  }

  /** The gate is draining: tells every instance, so that they make their own calls through other gates. */
  public void gateDraining() {
    gateDraining = true;
    for (ServiceLink link : links.values()) {
      if (link.state == ServiceLink.State.READY && link.connection != null) {
        link.connection.send(Envelope.Draining.INSTANCE);
      }
    }
  }

  public void close() {
    closed = true;
    if (outlierTimer >= 0) {
      vertx.cancelTimer(outlierTimer);
    }
    for (ServiceLink link : new ArrayList<>(links.values())) {
      link.retired = true;
      cancelReconnect(link);
      if (link.connection != null) {
        link.connection.close();
      }
    }
    client.close();
  }

  private void retire(ServiceLink link) {
    link.retired = true;
    cancelReconnect(link);
    poolOf(link).update(link);
    if (link.draining && link.connection != null) {
      // Deregistered as part of its drain: it closes the link once done, and is forgotten then.
      return;
    }
    if (link.connection == null || link.activeCalls() == 0) {
      if (link.connection != null) {
        link.connection.close();
      }
      if (link.state != ServiceLink.State.CONNECTING) {
        forget(link);
      }
    }
  }

  private ServicePool poolOf(ServiceLink link) {
    ServicePool pool = pools.computeIfAbsent(link.serviceKey(), k -> new ServicePool(vertx, k, options.policyFor(k)));
    if (pool.stats() == null && meters != null) {
      pool.stats(new ServiceStats(meters.service(pool.serviceKey()), meters.topSources()));
    }
    pool.adopt(link);
    return pool;
  }

  private void forget(ServiceLink link) {
    if (links.remove(link.serviceKey() + "/" + link.id(), link)) {
      ServicePool pool = pools.get(link.serviceKey());
      if (pool != null) {
        pool.drop(link);
      }
    }
  }

  private void connect(ServiceLink link) {
    link.state = ServiceLink.State.CONNECTING;
    link.reconnectTimer = -1;
    ServiceInstance instance = link.instance();
    poolOf(link);
    client.connect(instance.port(), instance.host()).onComplete(ar -> {
      if (ar.failed()) {
        link.state = ServiceLink.State.CLOSED;
        if (log.isDebugEnabled()) {
          log.debug("Cannot reach " + link + ": " + ar.cause().getMessage());
        }
        reconnectOrForget(link);
        return;
      }
      if (link.retired || closed) {
        ar.result().close();
        link.state = ServiceLink.State.CLOSED;
        reconnectOrForget(link);
        return;
      }
      MeshConnection connection = MeshConnection.attach(ar.result(), options.getServiceConnection(),
          envelope -> received(link, envelope));
      link.connection = connection;
      link.state = ServiceLink.State.CONNECTED;
      connection.closeHandler(reason -> closed(link, connection, reason));
      connection.writabilityHandler(writable -> {
        if (!writable && !link.congested) {
          link.congestedSinceNanos = System.nanoTime();
        }
        link.congested = !writable;
        poolOf(link).update(link);
      });
    });
  }

  private void received(ServiceLink link, Envelope envelope) {
    if (envelope instanceof AccessReport report) {
      ServiceInstance instance = link.instance();
      if (!instance.namespace().equals(report.namespace()) || !instance.service().equals(report.serviceName())) {
        log.warn("Instance " + instance.id() + " registered as " + instance.serviceKey() + " reports "
            + report.namespace() + "/" + report.serviceName() + "; not routing to it");
        link.connection.close();
        return;
      }
      link.methods = report.rpcs();
      link.resetLatency();
      link.draining = false;
      link.state = ServiceLink.State.READY;
      link.backoffMs = 0;
      ServicePool pool = poolOf(link);
      if (pool.stats() != null) {
        pool.stats().reported(report.rpcs().keySet());
      }
      pool.update(link);
      checkSettled();
      if (gateDraining) {
        link.connection.send(Envelope.Draining.INSTANCE);
      }
      return;
    }
    if (envelope instanceof Envelope.Draining) {
      draining(link);
      link.connection.send(Envelope.DrainingAck.INSTANCE);
      return;
    }
    if (envelope instanceof Envelope.DrainingAck) {
      // The instance took note of this gate's own drain.
      return;
    }
    listener.received(link, envelope);
  }

  private void closed(ServiceLink link, MeshConnection connection, CloseReason reason) {
    if (link.connection != connection) {
      return;
    }
    link.connection = null;
    link.congested = false;
    link.state = ServiceLink.State.CLOSED;
    poolOf(link).update(link);
    if (!link.retired && !closed) {
      log.info("Lost " + link + " (" + reason + ")");
    }
    listener.lost(link);
    reconnectOrForget(link);
  }

  private void reconnectOrForget(ServiceLink link) {
    if (link.retired || closed) {
      forget(link);
      return;
    }
    long base = link.backoffMs == 0 ? options.getReconnectInitialMs()
        : Math.min(link.backoffMs * 2, options.getReconnectMaxMs());
    link.backoffMs = base;
    // Jitter spreads the redials of many gates after one instance restarts.
    long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    link.reconnectTimer = vertx.setTimer(Math.max(1, delay), t -> connect(link));
    checkSettled();
  }

  private void cancelReconnect(ServiceLink link) {
    if (link.reconnectTimer >= 0) {
      vertx.cancelTimer(link.reconnectTimer);
      link.reconnectTimer = -1;
      link.state = ServiceLink.State.CLOSED;
    }
  }
}
