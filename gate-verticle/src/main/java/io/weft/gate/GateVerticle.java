package io.weft.gate;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.weft.core.Code;
import io.weft.core.conn.MeshConnection;
import io.vertx.core.shareddata.LocalMap;
import io.weft.core.discovery.AdvertiseHost;
import io.weft.core.discovery.GateInstance;
import io.weft.core.discovery.Registration;
import io.weft.core.discovery.ServiceRegistries;
import io.weft.core.discovery.ServiceRegistry;
import io.weft.core.discovery.ServiceWatch;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.AuthRequest;
import io.weft.core.protocol.Envelope.AuthResponse;
import io.weft.core.protocol.Envelope.Caller;
import io.weft.core.protocol.Envelope.ErrorNotice;
import io.weft.core.protocol.Envelope.RouteRequest;
import io.weft.core.protocol.Envelope.ServiceReply;
import io.weft.gate.impl.DegradationFilter;
import io.weft.core.session.SessionDirectories;
import io.weft.core.session.SessionDirectory;
import io.weft.gate.impl.ClientSession;
import io.weft.gate.impl.Logins;
import io.weft.gate.impl.PushDelivery;
import io.weft.gate.impl.RateLimitFilter;
import java.util.ArrayList;
import java.util.List;
import io.weft.gate.impl.Router;
import io.weft.gate.impl.ServiceDirectory;
import io.weft.gate.impl.ServiceLink;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A gate: clients connect to it and it routes their calls to service instances found in the
 * registry, relaying the replies.
 * <p>
 * Deploy several instances (one per event loop) to share the port. Each instance owns its client
 * connections, its own connection to every service instance and its own table of calls in flight,
 * so routing takes no lock and never changes thread.
 */
public class GateVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(GateVerticle.class);

  /** How long a starting gate waits for the instances already registered to become routable. */
  private static final long STARTUP_SETTLE_MS = 3000;

  private final GateOptions presetOptions;

  private GateOptions options;
  private String bootId;
  private String gateId;
  private long nextConnection = 1;
  private NetServer server;
  private ServiceRegistry registry;
  private ServiceWatch watch;
  private Registration gateRegistration;
  private ServiceDirectory directory;
  private Router router;
  private List<RouteFilter> filters;
  private RateLimitFilter rateLimits;
  private final Map<String, ClientSession> sessions = new HashMap<>();
  private SessionDirectory sessionDirectory;
  private PushDelivery pushes;
  private Logins logins;

  /** For deployment from config: {@code config()} holds {@link GateOptions} JSON. */
  public GateVerticle() {
    this(null);
  }

  public GateVerticle(GateOptions options) {
    this.presetOptions = options == null ? null : new GateOptions(options);
  }

  @Override
  public Future<?> start() {
    try {
      options = presetOptions != null ? presetOptions : new GateOptions(config());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    bootId = UUID.randomUUID().toString().substring(0, 8);
    directory = new ServiceDirectory(vertx, options, new ServiceDirectory.Listener() {
      @Override
      public void received(ServiceLink link, Envelope envelope) {
        fromService(link, envelope);
      }

      @Override
      public void lost(ServiceLink link) {
        router.lost(link);
      }
    });
    filters = new ArrayList<>();
    // Degradation first: a disabled call costs nothing more, not even a rate-limit token.
    DegradationFilter degradation = new DegradationFilter();
    filters.add(degradation);
    rateLimits = new RateLimitFilter(vertx, options);
    filters.add(rateLimits);
    router = new Router(vertx, options, directory, filters);
    registry = ServiceRegistries.create(vertx, options.getRegistry());
    server = vertx.createNetServer(new NetServerOptions()
        .setHost(options.getHost())
        .setPort(options.getPort())
        .setTcpNoDelay(true))
        .connectHandler(this::accepted);
    return server.listen()
        .compose(s -> {
          String host = AdvertiseHost.resolve(options.getHost(), options.getAdvertiseHost());
          gateId = host + ":" + s.actualPort();
          return registerGate(host, s.actualPort());
        })
        .compose(v -> {
          sessionDirectory = SessionDirectories.create(vertx, options.getSessions());
          pushes = new PushDelivery(vertx, bootId, sessions);
          logins = new Logins(vertx, sessionDirectory, options.getPush(), router, pushes, gateId, sessions);
          // Well within the bindings' TTL, so that live ones never expire between refreshes.
          logins.startRefreshing(Math.max(1000, options.getSessions().getTtlSeconds() * 1000L / 3));
          return pushes.start();
        })
        .compose(v -> degradation.watch(registry))
        .compose(v -> registry.watch(directory::apply))
        .compose(w -> {
          watch = w;
          // Registry events already queued for this context are applied before the check.
          Promise<Void> settled = Promise.promise();
          context.runOnContext(x -> directory.settled(STARTUP_SETTLE_MS).onComplete(settled));
          return settled.future();
        })
        .onSuccess(v -> log.info("Gate " + gateId + " (" + options.getMode().name().toLowerCase() + ") listening"));
  }

  /** One registration per gate, however many instances share its port: the first one makes it. */
  private Future<Void> registerGate(String host, int port) {
    LocalMap<String, String> owners = vertx.sharedData().getLocalMap("weft.gate-registrations");
    if (owners.putIfAbsent(gateId, bootId) != null) {
      return Future.succeededFuture();
    }
    GateInstance gate = new GateInstance(gateId, host, port, options.getMode().name().toLowerCase(),
        System.currentTimeMillis());
    return registry.registerGate(gate).onSuccess(r -> gateRegistration = r).mapEmpty();
  }

  @Override
  public Future<?> stop() {
    Future<Void> deregistered = Future.succeededFuture();
    if (gateRegistration != null) {
      vertx.sharedData().<String, String>getLocalMap("weft.gate-registrations").remove(gateId, bootId);
      deregistered = gateRegistration.deregister().recover(e -> Future.succeededFuture());
    }
    Future<Void> closing = deregistered.compose(v -> server == null ? Future.succeededFuture() : server.close());
    return closing.compose(v -> {
      if (router != null) {
        router.close();
      }
      if (logins != null) {
        logins.close();
      }
      if (pushes != null) {
        pushes.close();
      }
      if (sessionDirectory != null) {
        sessionDirectory.close();
      }
      if (directory != null) {
        directory.close();
      }
      Future<Void> unwatched = watch == null ? Future.succeededFuture() : watch.close();
      return unwatched.compose(x -> registry == null ? Future.succeededFuture() : registry.close());
    });
  }

  /** The gate's id: its advertised {@code host:port}. */
  public String gateId() {
    return gateId;
  }

  /** Calls waiting for a service's reply. Read it on the gate's context. */
  public int inFlight() {
    return router.inFlight();
  }

  /** Service replies that came after their call had been answered (deadline, lost instance). */
  public long lateReplies() {
    return router.lateReplies();
  }

  /** Ids of the instances of a service this gate instance routes to now. Read it on the gate's context. */
  public java.util.List<String> routableInstances(String namespace, String service) {
    var pool = directory.pool(namespace, service);
    return pool == null ? java.util.List.of() : pool.candidates(java.util.Map.of()).stream().map(ServiceLink::id).toList();
  }

  /** Calls attempted again after a failed attempt. Read it on the gate's context. */
  public long retriedCount() {
    return router.retriedCount();
  }

  /** Breaches of each rate limit so far. */
  public java.util.Map<String, Long> limitBreaches() {
    return rateLimits.breaches();
  }

  /** Client connections open on this instance. */
  public int connections() {
    return sessions.size();
  }

  /** The port clients connect to, once started. */
  public int actualPort() {
    return server.actualPort();
  }

  private void accepted(NetSocket socket) {
    String connId = bootId + "-" + Long.toString(nextConnection++, 36);
    ClientSession session = new ClientSession(connId, gateId);
    MeshConnection connection = MeshConnection.attach(socket, options.getClientConnection(),
        envelope -> fromClient(session, envelope));
    session.connection = connection;
    sessions.put(connId, session);
    connection.closeHandler(reason -> {
      sessions.remove(connId);
      if (logins != null) {
        logins.disconnected(session);
      }
      for (RouteFilter filter : filters) {
        filter.onConnectionClosed(connId);
      }
    });
  }

  private void fromClient(ClientSession session, Envelope envelope) {
    switch (envelope) {
      case RouteRequest r -> router.route(session.connection, session.caller(), session.pins, session.connId, false, r);
      case AuthRequest a -> authenticate(session, a);
      case Envelope.LoginRequest login when logins != null -> logins.login(session, login);
      case Envelope.LogoffRequest logoff when logins != null -> logins.logoff(session, logoff);
      case Envelope.PushReply reply when logins != null -> logins.pushReplied(session, reply);
      case Envelope.UnknownMessage u -> session.connection.send(
          new ErrorNotice(Code.UNIMPLEMENTED.value(), "unknown message " + u.name()));
      default -> session.connection.send(
          new ErrorNotice(Code.UNIMPLEMENTED.value(), "unexpected " + envelope.type().wireName() + " from a client"));
    }
  }

  /** An internal gate trusts its peers; it answers auth so that any client can talk to it. */
  private void authenticate(ClientSession session, AuthRequest auth) {
    session.label(auth.client());
    long heartbeatSec = Math.max(1, options.getClientConnection().getHeartbeatIdleMs() / 1000);
    session.connection.send(new AuthResponse(Code.OK.value(), null, session.connId, gateId, (int) heartbeatSec));
  }

  private void fromService(ServiceLink link, Envelope envelope) {
    switch (envelope) {
      case ServiceReply reply -> router.replied(reply);
      case RouteRequest r -> router.route(link.connectionForReplies(), link.caller(gateId), link.pins(), link.id(), true, r);
      case Envelope.GatePush push -> pushes.fromPushService(push);
      case Envelope.ListenAddrRequest ask -> link.connectionForReplies().send(new Envelope.ListenAddrResponse(ask.rid(), gateId));
      case Envelope.UnknownMessage u -> link.connectionForReplies().send(
          new ErrorNotice(Code.UNIMPLEMENTED.value(), "unknown message " + u.name()));
      default -> log.debug("Ignoring " + envelope.type() + " from " + link);
    }
  }

}
