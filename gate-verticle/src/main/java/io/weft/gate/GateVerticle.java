package io.weft.gate;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.netty.buffer.Unpooled;
import io.vertx.core.AsyncResult;
import io.vertx.core.internal.net.NetSocketInternal;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.auth.Principal;
import io.weft.core.auth.TokenVerifier;
import io.weft.core.callback.TaskClock;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.conn.CloseReason;
import io.weft.core.conn.ConnectionOptions;
import io.weft.core.conn.MeshConnection;
import io.vertx.core.shareddata.LocalMap;
import io.weft.core.discovery.AdvertiseHost;
import io.weft.core.discovery.GateInstance;
import io.weft.core.discovery.Registration;
import io.weft.core.discovery.ServiceRegistries;
import io.weft.core.discovery.ServiceRegistry;
import io.weft.core.discovery.ServiceWatch;
import io.weft.core.metrics.MeshMetrics;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.AuthRequest;
import io.weft.core.protocol.Envelope.AuthResponse;
import io.weft.core.protocol.Envelope.Caller;
import io.weft.core.protocol.Envelope.ErrorNotice;
import io.weft.core.protocol.Envelope.RouteRequest;
import io.weft.core.protocol.Envelope.ServiceReply;
import io.weft.gate.impl.DegradationFilter;
import io.weft.core.session.SessionDirectories;
import io.weft.core.trace.MeshTracing;
import io.weft.core.session.SessionDirectory;
import io.weft.gate.impl.AccessFilter;
import io.weft.gate.impl.CallCounter;
import io.weft.gate.impl.ClientSession;
import io.weft.gate.impl.ClientSession.AuthState;
import io.weft.gate.impl.GateMeters;
import io.weft.gate.impl.GateShared;
import io.weft.gate.impl.HttpSide;
import io.weft.gate.impl.IpAllowlist;
import io.weft.gate.impl.Logins;
import io.weft.gate.impl.PushDelivery;
import io.weft.gate.impl.RateLimitFilter;
import java.util.ArrayList;
import java.util.List;
import io.weft.gate.impl.Router;
import io.weft.gate.impl.ServiceDirectory;
import io.weft.gate.impl.ServiceLink;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
 * <p>
 * An <b>external</b> gate faces the internet: a connection must authenticate first
 * ({@code MSG_C2G_AUTH}, checked by one {@link TokenVerifier} the gate's instances share), may
 * call only methods the service reported public, and may log in only as its token's subject. Every
 * gate applies its connection limits (per gate, per IP, an IP allowlist: by default an internal
 * gate accepts only loopback and private addresses), calls in flight per connection, TLS, and
 * pauses clients that do not read their replies. docs/SECURITY.md has the threat model.
 * <p>
 * {@link #drain()} takes the gate out of service gracefully (PROTOCOL.md section 15): it leaves
 * the registry, stops accepting, tells its clients with a {@code Draining} push and keeps serving
 * them for {@code drainGraceMs} while they reconnect elsewhere, then closes what is left.
 * {@code weft run} drains every gate on SIGTERM; a plain undeploy does not wait.
 */
public class GateVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(GateVerticle.class);

  /** How the spans of gates are named (OpenTelemetry's {@code service.name}). */
  public static final String TRACING_ROLE = "weft-gate";

  /** How long a starting gate waits for the instances already registered to become routable. */
  private static final long STARTUP_SETTLE_MS = 3000;
  /** How often a draining gate checks whether its calls in flight are answered. */
  private static final long DRAIN_CHECK_MS = 10;

  private final GateOptions presetOptions;
  private final TokenVerifier presetVerifier;

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
  private boolean external;
  private GateShared shared;
  private String sharedKey;
  private TokenVerifier verifier;
  private IpAllowlist allowlist;
  private ConnectionOptions unauthenticatedConnection;
  private long idleTimer = -1;
  private GateMeters meters;
  private GateMeters.Member member;
  private long viewTimer = -1;
  private volatile boolean ready;
  private volatile boolean draining;
  private Promise<Void> drained;
  private long drainDeadlineNanos;
  private MeshTracing tracing;
  private HttpSide httpSide;
  private TokenVerifier httpVerifier;

  /** For deployment from config: {@code config()} holds {@link GateOptions} JSON. */
  public GateVerticle() {
    this(null);
  }

  public GateVerticle(GateOptions options) {
    this(options, null);
  }

  /**
   * A gate checking tokens with {@code verifier} (another scheme than the built-in HMAC tokens:
   * JWT, a call to an auth service) instead of one made from {@code options.auth}. Give the same
   * verifier to every instance of the gate: replays are refused only among the tokens it has seen.
   */
  public GateVerticle(GateOptions options, TokenVerifier verifier) {
    this.presetOptions = options == null ? null : new GateOptions(options);
    this.presetVerifier = verifier;
  }

  @Override
  public Future<?> start() {
    try {
      options = presetOptions != null ? presetOptions : new GateOptions(config());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    external = options.getMode() == GateOptions.Mode.EXTERNAL;
    try {
      checkSecurity();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    sharedKey = context.deploymentID() != null ? context.deploymentID() : UUID.randomUUID().toString();
    shared = GateShared.acquire(vertx, sharedKey);
    if (external) {
      try {
        verifier = shared.verifier(() -> presetVerifier != null ? presetVerifier : options.getAuth().newVerifier(vertx));
      } catch (RuntimeException e) {
        return Future.failedFuture(new IllegalArgumentException("auth: " + e.getMessage(), e));
      }
    }
    if (options.getHttp() != null) {
      try {
        httpVerifier = httpVerifier();
        HttpSide.check(options, httpVerifier);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
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
    if (external) {
      // Access first: a call a client may not make costs nothing more.
      filters.add(new AccessFilter(directory, () -> shared.count(GateShared.ACCESS_DENIED)));
    }
    // Degradation next: a disabled call costs nothing more, not even a rate-limit token.
    DegradationFilter degradation = new DegradationFilter();
    filters.add(degradation);
    rateLimits = new RateLimitFilter(vertx, options);
    filters.add(rateLimits);
    tracing = MeshTracing.forRole(vertx, TRACING_ROLE);
    router = new Router(vertx, options, directory, filters, tracing);
    registry = ServiceRegistries.create(vertx, options.getRegistry());
    NetServerOptions serverOptions = new NetServerOptions()
        .setHost(options.getHost())
        .setPort(options.getPort())
        .setTcpNoDelay(true);
    if (options.getTls() != null) {
      options.getTls().applyTo(serverOptions);
    }
    server = vertx.createNetServer(serverOptions).connectHandler(this::accepted);
    if (external && options.getIdleTimeoutMs() > 0) {
      long period = Math.max(10, Math.min(1000, options.getIdleTimeoutMs() / 4));
      idleTimer = vertx.setPeriodic(period, t -> closeIdle());
    }
    return server.listen()
        .compose(s -> {
          String host = AdvertiseHost.resolve(options.getHost(), options.getAdvertiseHost());
          gateId = host + ":" + s.actualPort();
          measure();
          return registerGate(host, s.actualPort());
        })
        .compose(v -> {
          sessionDirectory = SessionDirectories.create(vertx, options.getSessions());
          pushes = new PushDelivery(vertx, bootId, sessions, tracing);
          pushes.meters(meters);
          logins = new Logins(vertx, sessionDirectory, options.getPush(), router, pushes, gateId, sessions);
          // Well within the bindings' TTL, so that live ones never expire between refreshes.
          logins.startRefreshing(Math.max(1000, options.getSessions().getTtlSeconds() * 1000L / 3));
          return pushes.start();
        })
        .compose(v -> listenHttp())
        .compose(v -> degradation.watch(registry))
        .compose(v -> registry.watch(directory::apply))
        .compose(w -> {
          watch = w;
          // Registry events already queued for this context are applied before the check.
          Promise<Void> settled = Promise.promise();
          context.runOnContext(x -> directory.settled(STARTUP_SETTLE_MS).onComplete(settled));
          return settled.future();
        })
        .onSuccess(v -> {
          ready = true;
          member.publish(directory);
          log.info("Gate " + gateId + " (" + options.getMode().name().toLowerCase() + ") listening"
              + (options.getTls() != null ? " with TLS" : "")
              + (httpSide != null ? ", HTTP on " + HttpSide.host(options) + ":" + httpSide.actualPort() : ""));
        });
  }

  /** The gate's meters (shared by its instances), known once its id is: before it takes any call. */
  private void measure() {
    MeshMetrics metrics = MeshMetrics.of(vertx);
    meters = shared.meters(() -> new GateMeters(metrics, gateId, options.getMode().name().toLowerCase(), shared));
    member = meters.join(this::isReady, () -> router.inFlight());
    router.meters(meters);
    directory.meters(meters);
    // What this instance sees of its services, for status and gauges: read on its own event loop.
    viewTimer = vertx.setPeriodic(metrics.options().getSampleMs(), t -> member.publish(directory));
  }

  /**
   * Ready for traffic: listening, registered, and routing to the instances registered when it
   * started. The one place the gate's readiness is decided (a draining gate is not ready).
   */
  public boolean isReady() {
    return ready && !draining;
  }

  /**
   * What checks the HTTP gateway's bearer tokens: a bearer token serves every request until it
   * expires, so the built-in HMAC tokens are checked there without the replay window (which
   * makes a token good for one connection); a verifier given in code is used as it is.
   */
  private TokenVerifier httpVerifier() {
    if (!external) {
      return null;
    }
    if (presetVerifier != null) {
      return presetVerifier;
    }
    return new io.weft.core.auth.AuthOptions(options.getAuth()).setReplayWindowMs(0).newVerifier(vertx);
  }

  /** The HTTP side (WebSocket, HTTP gateway, static files), when the config asks for one. */
  private Future<Void> listenHttp() {
    if (options.getHttp() == null) {
      return Future.succeededFuture();
    }
    httpSide = new HttpSide(vertx, options, shared, allowlist, httpVerifier, bootId + "-", new HttpSide.Gate() {
      @Override
      public void webSocketOpened(ServerWebSocket webSocket, InetAddress ip, Runnable closed) {
        GateVerticle.this.webSocketOpened(webSocket, ip, closed);
      }

      @Override
      public void connectionClosed(String connId) {
        for (RouteFilter filter : filters) {
          filter.onConnectionClosed(connId);
        }
      }
    });
    return httpSide.listen(router, gateId).mapEmpty();
  }

  /** What the gate's security settings must agree on; fails naming the key. */
  private void checkSecurity() {
    if (external && options.getAuth() == null && presetVerifier == null) {
      throw new IllegalArgumentException("auth: an external gate needs an \"auth\" section (e.g. \"auth\": {\"keys\": "
          + "{\"k1\": \"<base64 of 32 random bytes>\"}}) to check its clients' tokens");
    }
    if (external && options.getAuth() != null
        && options.getAuth().getMaxTokenBytes() + 512 > options.getMaxUnauthenticatedFrameBytes()) {
      throw new IllegalArgumentException("maxUnauthenticatedFrameBytes (" + options.getMaxUnauthenticatedFrameBytes()
          + ") must leave room for auth.maxTokenBytes (" + options.getAuth().getMaxTokenBytes() + ") + 512");
    }
    if (options.getTls() != null) {
      options.getTls().checkFiles("tls");
    }
    if (options.getServiceTls() != null) {
      options.getServiceTls().checkFiles("serviceTls");
    }
    java.util.List<String> cidrs = options.effectiveAllowlist();
    allowlist = cidrs == null ? null : IpAllowlist.parse("allowlist", cidrs);
    ConnectionOptions client = options.getClientConnection();
    unauthenticatedConnection = new ConnectionOptions(client)
        .setMaxFrameBytes(Math.min(client.getMaxFrameBytes(), options.getMaxUnauthenticatedFrameBytes()));
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
    ready = false;
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
    }
    if (viewTimer >= 0) {
      vertx.cancelTimer(viewTimer);
    }
    if (member != null) {
      meters.leave(member);
    }
    if (shared != null) {
      GateShared.release(vertx, sharedKey, shared);
    }
    if (drained != null) {
      drained.tryComplete();
    }
    Future<Void> closing = deregisterGate().compose(v -> server == null ? Future.succeededFuture() : server.close())
        .compose(v -> httpSide == null ? Future.succeededFuture() : httpSide.close());
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

  /** Leaves the registry, if this instance holds the gate's registration. */
  private Future<Void> deregisterGate() {
    if (gateRegistration == null) {
      return Future.succeededFuture();
    }
    vertx.sharedData().<String, String>getLocalMap("weft.gate-registrations").remove(gateId, bootId);
    Registration registration = gateRegistration;
    gateRegistration = null;
    return registration.deregister().recover(e -> Future.succeededFuture());
  }

  // ---------------------------------------------------------------- drain

  /** True from the start of {@link #drain()}. */
  public boolean isDraining() {
    return draining;
  }

  /**
   * Takes the gate out of service gracefully: leaves the registry; tells the service instances it
   * is connected to ({@code MSG_DRAINING}), which send their own calls through other gates; stops
   * accepting connections; sends every client an unsafe push {@code Draining} with the grace left
   * ({@link io.weft.core.client.GateDraining}) and keeps serving them for {@code drainGraceMs}, or
   * until they have all gone and the calls in flight are answered; then closes what is left.
   * Completes when done; calling it again returns the same future. Undeploy afterwards.
   */
  public Future<Void> drain() {
    Promise<Void> result = Promise.promise();
    context.runOnContext(v -> startDrain().onComplete(result));
    return result.future();
  }

  private Future<Void> startDrain() {
    if (drained != null) {
      return drained.future();
    }
    drained = ((io.vertx.core.internal.ContextInternal) context).promise();
    if (server == null || directory == null) {
      drained.complete();
      return drained.future();
    }
    draining = true;
    long started = System.nanoTime();
    long grace = options.getDrainGraceMs();
    drainDeadlineNanos = started + grace * 1_000_000L;
    log.info("Gate " + gateId + " draining: " + sessions.size() + " client connection(s), up to " + grace + " ms");
    Future<Void> deregistered = deregisterGate();
    directory.gateDraining();
    Future<Void> clientsGone;
    if (grace == 0) {
      // No grace: Vert.x would close without asking; tell the clients first, the close flushes it.
      for (ClientSession session : new ArrayList<>(sessions.values())) {
        tellDraining(session, 0);
      }
      clientsGone = server.close();
    } else {
      // Vert.x asks each connection to shut down (tellDraining), and closes what is left at the end.
      clientsGone = server.shutdown(grace, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    clientsGone.eventually(() -> deregistered)
        .onComplete(v -> whenIdle(drainDeadlineNanos, () -> {
          log.info("Gate " + gateId + " drained in " + (System.nanoTime() - started) / 1_000_000 + " ms"
              + (router.inFlight() == 0 ? "" : ", " + router.inFlight() + " call(s) still in flight"));
          drained.tryComplete();
        }));
    return drained.future();
  }

  /** Runs {@code then} once no call is in flight through this gate, or at {@code deadlineNanos}. */
  private void whenIdle(long deadlineNanos, Runnable then) {
    if (router.inFlight() == 0 || System.nanoTime() >= deadlineNanos) {
      then.run();
    } else {
      vertx.setTimer(DRAIN_CHECK_MS, t -> whenIdle(deadlineNanos, then));
    }
  }

  private long drainGraceLeftMs() {
    return Math.max(0, (drainDeadlineNanos - System.nanoTime()) / 1_000_000);
  }

  /** Tells a client the gate is draining (a connection still authenticating is just closed). */
  private void tellDraining(ClientSession session, long graceLeftMs) {
    MeshConnection connection = session.connection;
    if (session.auth != AuthState.AUTHENTICATED) {
      connection.close();
      return;
    }
    connection.send(new Envelope.ClientPush("", "", Unpooled.wrappedBuffer(ArgsCodec.encodeInnerRpc(
        io.weft.core.client.GateDraining.METHOD, new io.weft.core.client.GateDraining(graceLeftMs, gateId)))));
  }

  /** Calls answered by another instance after a draining one handed them back unrun. Read it on the gate's context. */
  public long redirectedCount() {
    return router.redirectedCount();
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

  /** The port of the HTTP side (WebSocket, HTTP gateway), once started; -1 without one. */
  public int actualHttpPort() {
    return httpSide == null ? -1 : httpSide.actualPort();
  }

  /** The port clients connect to, once started. */
  public int actualPort() {
    return server.actualPort();
  }

  /**
   * Counts of what the gate refused and why (connections over a limit or off the allowlist, auth
   * failures and timeouts, calls over the in-flight limit or not public, slow readers paused), and
   * {@code connections.open}: all instances of the gate together.
   */
  public Map<String, Long> securityCounters() {
    return shared.counters();
  }

  private void accepted(NetSocket socket) {
    if (draining) {
      socket.close();
      return;
    }
    InetAddress ip = remoteIp(socket);
    if (allowlist != null && !allowlist.contains(ip)) {
      shared.count(GateShared.REFUSED_ALLOWLIST);
      socket.close();
      return;
    }
    if (shared.admit(ip, options.getMaxConnections(), options.getMaxConnectionsPerIp()) != null) {
      socket.close();
      return;
    }
    ClientSession session = newSession(ip);
    MeshConnection connection;
    try {
      connection = MeshConnection.attach(socket, external ? unauthenticatedConnection : options.getClientConnection(),
          envelope -> fromClient(session, envelope));
    } catch (RuntimeException e) {
      shared.leave(ip);
      socket.close();
      throw e;
    }
    opened(session, connection, () -> shared.leave(ip));
  }

  /**
   * A WebSocket client, on a connection the HTTP side admitted: a client session like a TCP
   * one, with the same auth, limits, logins and pushes.
   */
  private void webSocketOpened(ServerWebSocket webSocket, InetAddress ip, Runnable release) {
    ClientSession session = newSession(ip);
    MeshConnection connection;
    try {
      connection = MeshConnection.attach(webSocket,
          external ? unauthenticatedConnection : options.getClientConnection(), envelope -> fromClient(session, envelope));
    } catch (RuntimeException e) {
      release.run();
      webSocket.close();
      throw e;
    }
    opened(session, connection, release);
  }

  private ClientSession newSession(InetAddress ip) {
    String connId = bootId + "-" + Long.toString(nextConnection++, 36);
    ClientSession session = new ClientSession(connId, gateId);
    session.ip = ip;
    session.calls = new CallCounter(options.getMaxInFlightPerConnection(), () -> shared.count(GateShared.IN_FLIGHT_REFUSED));
    return session;
  }

  /** Takes a client connection in: {@code release} counts it out of the connection limits when it closes. */
  private void opened(ClientSession session, MeshConnection connection, Runnable release) {
    String connId = session.connId;
    session.connection = connection;
    sessions.put(connId, session);
    connection.shutdownHandler(v -> tellDraining(session, drainGraceLeftMs()));
    connection.writabilityHandler(writable -> {
      if (!writable) {
        shared.count(GateShared.SLOW_READER_PAUSED);
      }
      session.pausedForWrites = !writable;
      session.updateReading();
    });
    connection.closeHandler(reason -> {
      sessions.remove(connId);
      release.run();
      if (session.authTimer >= 0) {
        vertx.cancelTimer(session.authTimer);
      }
      session.held.clear();
      if (logins != null) {
        logins.disconnected(session);
      }
      for (RouteFilter filter : filters) {
        filter.onConnectionClosed(connId);
      }
    });
    if (external) {
      session.auth = AuthState.AWAITING;
      session.authTimer = vertx.setTimer(options.getAuthTimeoutMs(), t -> {
        session.authTimer = -1;
        if (session.auth != AuthState.AUTHENTICATED && connection.isOpen()) {
          shared.count(GateShared.AUTH_TIMEOUT);
          connection.close();
        }
      });
    }
  }

  private static InetAddress remoteIp(NetSocket socket) {
    if (((NetSocketInternal) socket).channelHandlerContext().channel().remoteAddress() instanceof InetSocketAddress a) {
      return a.getAddress();
    }
    return InetAddress.getLoopbackAddress();
  }

  private void fromClient(ClientSession session, Envelope envelope) {
    if (session.auth != AuthState.AUTHENTICATED) {
      unauthenticated(session, envelope);
      return;
    }
    session.lastRequestNanos = TaskClock.nanoTime();
    switch (envelope) {
      case RouteRequest r -> router.route(session.connection, session.caller(), session.pins, session.connId, false,
          session.calls, r);
      case AuthRequest a -> authenticateAgain(session, a);
      case Envelope.LoginRequest login when logins != null -> {
        if (external && !session.principal.subject().equals(login.clientId())) {
          // A client logs in only as who its token says it is: else it could take another's pushes.
          if (login.rid() != 0) {
            session.connection.send(new Envelope.RouteResponse(login.rid(), Code.PERMISSION_DENIED.value(),
                "a client may log in only as its token's subject", null));
          }
          return;
        }
        logins.login(session, login);
      }
      case Envelope.LogoffRequest logoff when logins != null -> logins.logoff(session, logoff);
      case Envelope.PushReply reply when logins != null -> logins.pushReplied(session, reply);
      case Envelope.UnknownMessage u -> session.connection.send(
          new ErrorNotice(Code.UNIMPLEMENTED.value(), "unknown message " + u.name()));
      default -> session.connection.send(
          new ErrorNotice(Code.UNIMPLEMENTED.value(), "unexpected " + envelope.type().wireName() + " from a client"));
    }
  }

  /**
   * A frame from a connection to an external gate that has not authenticated: {@code MSG_C2G_AUTH}
   * starts verification; anything else closes the connection (PROTOCOL.md section 5), except while
   * a token is being verified, when up to {@link ClientSession#MAX_HELD} frames wait for the outcome.
   */
  private void unauthenticated(ClientSession session, Envelope envelope) {
    if (session.auth == AuthState.VERIFYING) {
      if (session.held.size() >= ClientSession.MAX_HELD) {
        shared.count(GateShared.AUTH_QUEUE_FULL);
        session.connection.close();
        return;
      }
      session.held.add(detached(envelope));
      return;
    }
    if (!(envelope instanceof AuthRequest auth)) {
      shared.count(GateShared.AUTH_OUT_OF_ORDER);
      session.connection.close();
      return;
    }
    session.auth = AuthState.VERIFYING;
    // Nothing more is read until the outcome: frames of this read already decoded are held.
    session.pausedForAuth = true;
    session.updateReading();
    Future<Principal> verdict;
    try {
      verdict = verifier.verify(auth.token(), auth.client(), session.connection.remoteAddress());
    } catch (RuntimeException e) {
      verdict = Future.failedFuture(e);
    }
    if (verdict.isComplete()) {
      verified(session, verdict);
    } else {
      verdict.onComplete(ar -> context.runOnContext(v -> verified(session, ar)));
    }
  }

  private void verified(ClientSession session, AsyncResult<Principal> verdict) {
    MeshConnection connection = session.connection;
    if (!connection.isOpen()) {
      return;
    }
    if (verdict.failed()) {
      shared.count(GateShared.AUTH_FAILED);
      session.held.clear();
      Code code = verdict.cause() instanceof MeshException me && me.code() != Code.OK ? me.code() : Code.UNAUTHENTICATED;
      String error = verdict.cause() instanceof MeshException me ? me.getMessage() : "authentication failed";
      if (log.isDebugEnabled()) {
        log.debug("Refused auth from " + connection.remoteAddress() + ": " + code + " " + error);
      }
      connection.sendAndClose(new AuthResponse(code.value(), error, null, gateId, 0), CloseReason.LOCAL);
      return;
    }
    Principal principal = verdict.result();
    shared.count(GateShared.AUTH_OK);
    session.principal = principal;
    session.auth = AuthState.AUTHENTICATED;
    session.label(principal.label());
    session.lastRequestNanos = TaskClock.nanoTime();
    if (session.authTimer >= 0) {
      vertx.cancelTimer(session.authTimer);
      session.authTimer = -1;
    }
    connection.maxFrameBytes(options.getClientConnection().getMaxFrameBytes());
    connection.send(new AuthResponse(Code.OK.value(), null, session.connId, gateId, heartbeatSec()));
    while (!session.held.isEmpty() && connection.isOpen()) {
      fromClient(session, session.held.poll());
    }
    session.pausedForAuth = false;
    session.updateReading();
  }

  /** A copy of a held frame that no longer points into its read buffer. */
  private static Envelope detached(Envelope envelope) {
    return switch (envelope) {
      case RouteRequest r -> new RouteRequest(r.rid(), r.namespace(), r.serviceName(),
          r.innerRpc() == null ? null : Unpooled.copiedBuffer(r.innerRpc()), r.timeoutMs(), r.orderKey(), r.hashKey(),
          r.tags(), r.trace(), r.failMode(), r.broadcast());
      // Misdirected messages carrying bytes are answered 12 all the same.
      case Envelope.ClientPush p -> new Envelope.UnknownMessage(p.type().wireName());
      case Envelope.RouteResponse p -> new Envelope.UnknownMessage(p.type().wireName());
      case Envelope.ServiceCall p -> new Envelope.UnknownMessage(p.type().wireName());
      case ServiceReply p -> new Envelope.UnknownMessage(p.type().wireName());
      case Envelope.GatePush p -> new Envelope.UnknownMessage(p.type().wireName());
      default -> envelope;
    };
  }

  /**
   * {@code MSG_C2G_AUTH} on a connection that needs none more: an internal gate answers it as
   * always (it trusts its peers, PROTOCOL.md section 10); an external gate answers
   * {@code MSG_ERROR} 9 and keeps the connection as it was authenticated (a connection's identity
   * never changes).
   */
  private void authenticateAgain(ClientSession session, AuthRequest auth) {
    if (external) {
      session.connection.send(new ErrorNotice(Code.FAILED_PRECONDITION.value(), "already authenticated"));
      return;
    }
    authenticate(session, auth);
  }

  /** An internal gate trusts its peers; it answers auth so that any client can talk to it. */
  private void authenticate(ClientSession session, AuthRequest auth) {
    session.label(auth.client());
    session.connection.send(new AuthResponse(Code.OK.value(), null, session.connId, gateId, heartbeatSec()));
  }

  private int heartbeatSec() {
    return (int) Math.max(1, options.getClientConnection().getHeartbeatIdleMs() / 1000);
  }

  /** Closes authenticated connections of an external gate that have been idle too long. */
  private void closeIdle() {
    long now = System.nanoTime();
    long idleNanos = options.getIdleTimeoutMs() * 1_000_000L;
    List<ClientSession> idle = null;
    for (ClientSession session : sessions.values()) {
      if (session.auth == AuthState.AUTHENTICATED && session.clientIds().isEmpty()
          && now - session.lastRequestNanos > idleNanos) {
        if (idle == null) {
          idle = new ArrayList<>();
        }
        idle.add(session);
      }
    }
    if (idle != null) {
      for (ClientSession session : idle) {
        shared.count(GateShared.IDLE_CLOSED);
        session.connection.close();
      }
    }
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
