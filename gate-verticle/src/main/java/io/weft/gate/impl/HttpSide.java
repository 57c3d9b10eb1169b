package io.weft.gate.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.weft.core.Code;
import io.weft.core.auth.HmacTokens;
import io.weft.core.auth.TokenVerifier;
import io.weft.gate.GateHttpOptions;
import io.weft.gate.GateOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP side of one gate instance: an HTTP server on its own port whose connections are
 * admitted like TCP clients (allowlist, per-gate and per-IP limits: one count per TCP connection,
 * whether it serves HTTP requests or becomes a WebSocket), serving {@code /ws} (handed to the
 * gate as a client session), the HTTP gateway, the browser client and static files.
 */
public final class HttpSide {

  /** Where the browser client lies on the classpath (copied there from clients/js/dist by the build). */
  public static final String CLIENT_ROOT = "weft-client";
  /** How long a closing WebSocket waits for the client's close frame, in seconds. */
  private static final int WEBSOCKET_CLOSING_TIMEOUT_S = 1;
  private static final Duration DEV_TOKEN_TTL = Duration.ofHours(12);

  /** What the HTTP side needs of its gate. */
  public interface Gate {
    /** A WebSocket was accepted on an admitted connection: make it a client session; {@code closed} runs when it ends. */
    void webSocketOpened(ServerWebSocket webSocket, InetAddress ip, Runnable closed);

    /** A connection's calls are over (for the per-connection state of route filters). */
    void connectionClosed(String connId);
  }

  private final Vertx vertx;
  private final GateOptions options;
  private final GateHttpOptions http;
  private final GateShared shared;
  private final IpAllowlist allowlist;
  private final TokenVerifier verifier;
  private final Gate gate;
  private final String connPrefix;
  /** By the client's address and port, which the HTTP connection and the WebSocket it becomes both know. */
  private final Map<String, HttpPeer> peers = new HashMap<>();
  private HttpGateway gateway;
  private HttpServer server;
  private long nextPeer = 1;

  public HttpSide(Vertx vertx, GateOptions options, GateShared shared, IpAllowlist allowlist, TokenVerifier verifier,
                  String connPrefix, Gate gate) {
    this.vertx = vertx;
    this.options = options;
    this.http = options.getHttp();
    this.shared = shared;
    this.allowlist = allowlist;
    this.verifier = verifier;
    this.connPrefix = connPrefix;
    this.gate = gate;
  }

  /** The host the HTTP side listens on. */
  public static String host(GateOptions options) {
    return options.getHttp().getHost() != null ? options.getHttp().getHost() : options.getHost();
  }

  /**
   * Fails naming the key when {@code devTokens} is asked for where it must not be: anywhere but a
   * loopback address, or without an HMAC signing key to sign with.
   */
  public static void check(GateOptions options, TokenVerifier verifier) {
    if (!options.getHttp().isDevTokens()) {
      return;
    }
    String host = host(options);
    if (!host.equals("127.0.0.1") && !host.equals("::1") && !host.equals("localhost")) {
      throw new IllegalArgumentException("http.devTokens hands out tokens for anyone: it needs a loopback http.host, "
          + "but the HTTP side listens on " + host);
    }
    if (!(verifier instanceof HmacTokens)) {
      throw new IllegalArgumentException("http.devTokens needs an external gate with an \"auth\" section of HMAC keys");
    }
  }

  /** Starts listening; {@code router} routes the gateway's calls. */
  public Future<HttpServer> listen(Router router, String gateId) {
    gateway = new HttpGateway(router, verifier, gateId);
    int maxFrame = options.getClientConnection().getMaxFrameBytes();
    HttpServerOptions serverOptions = new HttpServerOptions()
        .setHost(host(options))
        .setPort(http.getPort())
        .setTcpNoDelay(true)
        .setMaxWebSocketFrameSize(maxFrame)
        .setMaxWebSocketMessageSize(maxFrame)
        .setWebSocketClosingTimeout(WEBSOCKET_CLOSING_TIMEOUT_S)
        .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, options.getClientConnection().getHeartbeatDeadMs()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    if (options.getTls() != null) {
      options.getTls().applyTo(serverOptions);
    }
    io.vertx.ext.web.Router web = io.vertx.ext.web.Router.router(vertx);
    List<String> origins = http.getAllowedOrigins();
    if (origins != null) {
      CorsHandler cors = CorsHandler.create().allowedHeaders(java.util.Set.of("Content-Type", "Authorization",
          "X-Weft-Timeout", "X-Weft-Order-Key", "X-Weft-Hash-Key", "X-Weft-Trace"));
      origins.forEach(o -> cors.addOrigin(o));
      web.route("/rpc/*").handler(cors);
    }
    if (http.isGateway()) {
      web.post("/rpc/:namespace/:service/:method")
          .handler(BodyHandler.create(false).setBodyLimit(http.getMaxBodyBytes()))
          .handler(rc -> withPeer(rc, peer -> gateway.handle(rc, peer)));
      web.route("/rpc/*").handler(rc -> HttpGateway.fail(rc, rc.request().method().name().equals("POST") ? 404 : 405,
          Code.INVALID_ARGUMENT, "the gateway takes POST /rpc/<namespace>/<service>/<method>"));
      web.route("/rpc/*").failureHandler(rc -> HttpGateway.fail(rc, rc.statusCode() > 0 ? rc.statusCode() : 500,
          rc.statusCode() == 413 ? Code.RESOURCE_EXHAUSTED : Code.INTERNAL,
          rc.statusCode() == 413 ? "the body is over " + http.getMaxBodyBytes() + " bytes" : "request failed"));
    }
    if (http.isDevTokens()) {
      web.post("/dev/token").handler(BodyHandler.create(false).setBodyLimit(4096)).handler(this::devToken);
    }
    web.get("/weft/*").handler(StaticHandler.create(CLIENT_ROOT).setCachingEnabled(false));
    if (http.getWebRoot() != null) {
      web.route("/*").handler(StaticHandler.create(http.getWebRoot()).setCachingEnabled(false));
    }
    server = vertx.createHttpServer(serverOptions).connectionHandler(this::connected).requestHandler(web);
    if (http.isWebSocket()) {
      server.webSocketHandshakeHandler(this::handshake).webSocketHandler(this::upgraded);
    }
    return server.listen();
  }

  public int actualPort() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void connected(HttpConnection connection) {
    InetAddress ip = address(connection.remoteAddress().hostAddress());
    if (allowlist != null && !allowlist.contains(ip)) {
      shared.count(GateShared.REFUSED_ALLOWLIST);
      connection.close();
      return;
    }
    if (shared.admit(ip, options.getMaxConnections(), options.getMaxConnectionsPerIp()) != null) {
      connection.close();
      return;
    }
    String connId = connPrefix + "h" + Long.toString(nextPeer++, 36);
    HttpPeer peer = new HttpPeer(connId, new Admission(shared, ip),
        new CallCounter(options.getMaxInFlightPerConnection(), () -> shared.count(GateShared.IN_FLIGHT_REFUSED)));
    String key = connection.remoteAddress().toString();
    peers.put(key, peer);
    connection.closeHandler(v -> closed(key, peer));
  }

  /** The connection ended (reported once as an HTTP connection, and again if it became a WebSocket). */
  private void closed(String key, HttpPeer peer) {
    if (peers.remove(key, peer)) {
      peer.admission.release();
      gate.connectionClosed(peer.connId);
    }
  }

  private void withPeer(RoutingContext rc, java.util.function.Consumer<HttpPeer> then) {
    HttpPeer peer = peers.get(rc.request().remoteAddress().toString());
    if (peer == null) {
      // Only a connection refused as it was accepted has none, and it is closing.
      HttpGateway.fail(rc, 503, Code.UNAVAILABLE, "connection refused");
      return;
    }
    if (!originAllowed(rc.request())) {
      HttpGateway.fail(rc, 403, Code.PERMISSION_DENIED, "origin not allowed");
      return;
    }
    then.accept(peer);
  }

  /** A WebSocket is accepted on {@code /ws} only, from an admitted connection and an allowed page. */
  private void handshake(ServerWebSocketHandshake handshake) {
    if (!"/ws".equals(handshake.path())) {
      handshake.reject(404);
    } else if (!peers.containsKey(handshake.remoteAddress().toString())) {
      handshake.reject(503);
    } else if (!originAllowed(handshake.headers().get("Origin"), handshake.authority(), handshake.isSsl())) {
      handshake.reject(403);
    } else {
      handshake.accept();
    }
  }

  private void upgraded(ServerWebSocket webSocket) {
    String key = webSocket.remoteAddress().toString();
    HttpPeer peer = peers.get(key);
    if (peer == null) {
      webSocket.close();
      return;
    }
    peer.upgraded = true;
    gate.webSocketOpened(webSocket, peer.admission.ip(), () -> closed(key, peer));
  }

  /**
   * True when the request comes from no web page (no {@code Origin}), from a page of this HTTP
   * side itself, or from an allowed origin: a page elsewhere must not reach the gate with its
   * visitor's network position (an internal gate needs no token).
   */
  private boolean originAllowed(HttpServerRequest request) {
    return originAllowed(request.getHeader("Origin"), request.authority(), request.isSSL());
  }

  private boolean originAllowed(String origin, io.vertx.core.net.HostAndPort authority, boolean ssl) {
    if (origin == null) {
      return true;
    }
    List<String> allowed = http.getAllowedOrigins();
    if (allowed != null && (allowed.contains("*") || allowed.contains(origin))) {
      return true;
    }
    String host = authority == null ? null : authority.toString();
    String scheme = ssl ? "https://" : "http://";
    return host != null && origin.equalsIgnoreCase(scheme + host);
  }

  private void devToken(RoutingContext rc) {
    withPeer(rc, peer -> {
      String subject;
      try {
        JsonObject body = rc.body().asJsonObject();
        subject = body == null ? null : body.getString("Subject");
      } catch (RuntimeException e) {
        subject = null;
      }
      if (subject == null || subject.isBlank()) {
        HttpGateway.fail(rc, 400, Code.INVALID_ARGUMENT, "POST /dev/token takes {\"Subject\": \"<name>\"}");
        return;
      }
      try {
        String token = ((HmacTokens) verifier).sign(subject, null, DEV_TOKEN_TTL);
        rc.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("Token", token).put("Subject", subject).encode());
      } catch (IllegalArgumentException e) {
        HttpGateway.fail(rc, 400, Code.INVALID_ARGUMENT, e.getMessage());
      }
    });
  }

  private static InetAddress address(String literal) {
    try {
      // A numeric address: no lookup happens.
      return InetAddress.getByName(literal);
    } catch (UnknownHostException | RuntimeException e) {
      return InetAddress.getLoopbackAddress();
    }
  }
}
