package io.weft.gate;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.core.auth.AuthOptions;
import io.weft.core.callback.CallbackTable;
import io.weft.core.conn.ConnectionOptions;
import io.weft.core.conn.TlsOptions;
import io.weft.core.discovery.RegistryOptions;
import io.weft.core.lb.LoadBalancerType;
import io.weft.core.session.SessionOptions;
import io.weft.gate.impl.IpAllowlist;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A gate: its mode, where clients connect, call budgets, how it dials services, and how it
 * balances each service. Read from a role's JSON config:
 * <pre>{@code
 * {"mode": "internal", "host": "127.0.0.1", "port": 7001, "instances": 1,
 *  "callTimeoutMs": 10000, "loadBalancer": "round-robin",
 *  "services": {"demo/echo": {"loadBalancer": "random"}}}
 * }</pre>
 * An external gate adds what facing the internet takes (docs/SECURITY.md says what each defends against):
 * <pre>{@code
 * {"mode": "external", "host": "0.0.0.0", "port": 7000,
 *  "auth": {"keys": {"k1": "env:WEFT_AUTH_KEY"}},          // AuthOptions: how tokens are checked
 *  "authTimeoutMs": 5000, "maxUnauthenticatedFrameBytes": 16384,
 *  "maxConnections": 10000, "maxConnectionsPerIp": 256, "maxInFlightPerConnection": 1024,
 *  "idleTimeoutMs": 600000, "allowlist": null,              // CIDRs; null: internal gates loopback + private
 *  "tls": {"certFile": "gate.crt", "keyFile": "gate.key"},  // TlsOptions on the client port
 *  "serviceTls": {"caFile": "mesh-ca.crt"},                 // TlsOptions dialling services
 *  "clientConnection": {"maxFrameBytes": 1048576, "writeHighWaterBytes": 1048576, "maxPendingWriteBytes": 4194304},
 *  "http": {"port": 7080}}                                  // GateHttpOptions: WebSocket, HTTP gateway, static files
 * }</pre>
 */
public class GateOptions {

  /** Who the gate faces. */
  public enum Mode {
    /** Trusted peers (game servers, tools): no auth, every method callable. */
    INTERNAL,
    /** The internet: clients authenticate first and may call only public methods. */
    EXTERNAL
  }

  public static final Mode DEFAULT_MODE = Mode.INTERNAL;
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 7001;
  public static final int DEFAULT_INSTANCES = 1;
  public static final long DEFAULT_CALL_TIMEOUT_MS = 10_000;
  public static final long DEFAULT_MAX_CALL_TIMEOUT_MS = 300_000;
  public static final long DEFAULT_RECONNECT_INITIAL_MS = 100;
  public static final long DEFAULT_RECONNECT_MAX_MS = 5_000;
  public static final LoadBalancerType DEFAULT_LOAD_BALANCER = LoadBalancerType.DEFAULT;
  public static final long DEFAULT_AUTH_TIMEOUT_MS = 5_000;
  public static final int DEFAULT_MAX_UNAUTHENTICATED_FRAME_BYTES = 16 * 1024;
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
  public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 256;
  public static final int DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION = 1024;
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 600_000;
  /** Time enough for clients to reconnect elsewhere, well within Kubernetes' default 30 s grace. */
  public static final long DEFAULT_DRAIN_GRACE_MS = 10_000;
  /** What an internal gate without an {@code allowlist} accepts: loopback and private ranges. */
  public static final List<String> DEFAULT_INTERNAL_ALLOWLIST = IpAllowlist.PRIVATE_NETWORKS;
  /** Keys of a service policy that may also stand at the top level, as the default of every service. */
  private static final java.util.Set<String> POLICY_KEYS_AT_TOP = java.util.Set.of("loadBalancer", "failMode",
      "retries", "retryBackoffMs", "attemptTimeoutMs", "breaker");

  private Mode mode = DEFAULT_MODE;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String advertiseHost;
  private int instances = DEFAULT_INSTANCES;
  private long callTimeoutMs = DEFAULT_CALL_TIMEOUT_MS;
  private long maxCallTimeoutMs = DEFAULT_MAX_CALL_TIMEOUT_MS;
  private long tickMs = CallbackTable.DEFAULT_TICK_MS;
  private long reconnectInitialMs = DEFAULT_RECONNECT_INITIAL_MS;
  private long reconnectMaxMs = DEFAULT_RECONNECT_MAX_MS;
  private ServicePolicy defaultPolicy = ServicePolicy.DEFAULT;
  private Map<String, ServicePolicy> services = Map.of();
  private GateLimits limits = GateLimits.NONE;
  private OutlierOptions outliers = OutlierOptions.DEFAULT;
  private SessionOptions sessions = new SessionOptions();
  private PushSettings push = PushSettings.DEFAULT;
  private ConnectionOptions clientConnection = new ConnectionOptions();
  private ConnectionOptions serviceConnection = new ConnectionOptions();
  private RegistryOptions registry = new RegistryOptions();
  private AuthOptions auth;
  private long authTimeoutMs = DEFAULT_AUTH_TIMEOUT_MS;
  private int maxUnauthenticatedFrameBytes = DEFAULT_MAX_UNAUTHENTICATED_FRAME_BYTES;
  private List<String> allowlist;
  private TlsOptions tls;
  private TlsOptions serviceTls;
  private int maxConnections = DEFAULT_MAX_CONNECTIONS;
  private int maxConnectionsPerIp = DEFAULT_MAX_CONNECTIONS_PER_IP;
  private int maxInFlightPerConnection = DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION;
  private long idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS;
  private long drainGraceMs = DEFAULT_DRAIN_GRACE_MS;
  private GateHttpOptions http;

  public GateOptions() {
  }

  public GateOptions(GateOptions other) {
    this(other.toJson());
  }

  public GateOptions(JsonObject json) {
    String modeName = json.getString("mode", DEFAULT_MODE.name());
    try {
      setMode(Mode.valueOf(modeName.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("mode must be 'internal' or 'external', but was '" + modeName + "'");
    }
    setHost(json.getString("host", DEFAULT_HOST));
    setPort(json.getInteger("port", DEFAULT_PORT));
    setAdvertiseHost(json.getString("advertiseHost"));
    setInstances(json.getInteger("instances", DEFAULT_INSTANCES));
    setCallTimeoutMs(json.getLong("callTimeoutMs", DEFAULT_CALL_TIMEOUT_MS));
    setMaxCallTimeoutMs(json.getLong("maxCallTimeoutMs", DEFAULT_MAX_CALL_TIMEOUT_MS));
    setTickMs(json.getLong("tickMs", CallbackTable.DEFAULT_TICK_MS));
    setReconnect(json.getLong("reconnectInitialMs", DEFAULT_RECONNECT_INITIAL_MS),
        json.getLong("reconnectMaxMs", DEFAULT_RECONNECT_MAX_MS));
    JsonObject top = new JsonObject();
    POLICY_KEYS_AT_TOP.forEach(k -> {
      if (json.containsKey(k)) {
        top.put(k, json.getValue(k));
      }
    });
    setDefaultPolicy(ServicePolicy.fromJson("gate", top, ServicePolicy.DEFAULT));
    Map<String, ServicePolicy> perService = new HashMap<>();
    json.getJsonObject("services", new JsonObject()).forEach(e -> {
      if (!(e.getValue() instanceof JsonObject service)) {
        throw new IllegalArgumentException("services." + e.getKey() + " must be an object");
      }
      if (e.getKey().split("/").length != 2) {
        throw new IllegalArgumentException("services keys are namespace/service, but one was '" + e.getKey() + "'");
      }
      perService.put(e.getKey(), ServicePolicy.fromJson("services." + e.getKey(), service, defaultPolicy));
    });
    setServices(perService);
    setLimits(GateLimits.fromJson(json.getJsonObject("limits")));
    setOutliers(OutlierOptions.fromJson(json.getJsonObject("outliers")));
    setSessions(new SessionOptions(json.getJsonObject("sessions", new JsonObject())));
    setPush(PushSettings.fromJson(json.getJsonObject("push")));
    setClientConnection(new ConnectionOptions(json.getJsonObject("clientConnection", new JsonObject())));
    setServiceConnection(new ConnectionOptions(json.getJsonObject("serviceConnection", new JsonObject())));
    setRegistry(new RegistryOptions(json.getJsonObject("registry", new JsonObject())));
    Object authJson = json.getValue("auth");
    if (authJson != null && !(authJson instanceof JsonObject)) {
      throw new IllegalArgumentException("auth must be an object or null, but was " + authJson);
    }
    setAuth(authJson == null ? null : new AuthOptions((JsonObject) authJson));
    setAuthTimeoutMs(json.getLong("authTimeoutMs", DEFAULT_AUTH_TIMEOUT_MS));
    setMaxUnauthenticatedFrameBytes(json.getInteger("maxUnauthenticatedFrameBytes", DEFAULT_MAX_UNAUTHENTICATED_FRAME_BYTES));
    Object list = json.getValue("allowlist");
    if (list != null && !(list instanceof JsonArray)) {
      throw new IllegalArgumentException("allowlist must be a list of CIDRs or null, but was " + list);
    }
    if (list != null) {
      List<String> cidrs = new ArrayList<>();
      for (Object o : (JsonArray) list) {
        if (!(o instanceof String cidr)) {
          throw new IllegalArgumentException("allowlist entries must be CIDR strings, but one was " + o);
        }
        cidrs.add(cidr);
      }
      setAllowlist(cidrs);
    }
    setTls(TlsOptions.fromJson(json.getValue("tls"), "tls"));
    setServiceTls(TlsOptions.fromJson(json.getValue("serviceTls"), "serviceTls"));
    setMaxConnections(json.getInteger("maxConnections", DEFAULT_MAX_CONNECTIONS));
    setMaxConnectionsPerIp(json.getInteger("maxConnectionsPerIp", DEFAULT_MAX_CONNECTIONS_PER_IP));
    setMaxInFlightPerConnection(json.getInteger("maxInFlightPerConnection", DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION));
    setIdleTimeoutMs(json.getLong("idleTimeoutMs", DEFAULT_IDLE_TIMEOUT_MS));
    setDrainGraceMs(json.getLong("drainGraceMs", DEFAULT_DRAIN_GRACE_MS));
    Object httpJson = json.getValue("http");
    if (httpJson != null && !(httpJson instanceof JsonObject)) {
      throw new IllegalArgumentException("http must be an object or null, but was " + httpJson);
    }
    setHttp(httpJson == null ? null : new GateHttpOptions((JsonObject) httpJson));
  }

  public JsonObject toJson() {
    JsonObject servicesJson = new JsonObject();
    services.forEach((k, v) -> servicesJson.put(k, v.toJson()));
    JsonObject json = defaultPolicy.toJson();
    json.remove("rateLimit");
    json.remove("methods");
    json
        .put("mode", mode.name().toLowerCase(Locale.ROOT))
        .put("host", host)
        .put("port", port)
        .put("instances", instances)
        .put("callTimeoutMs", callTimeoutMs)
        .put("maxCallTimeoutMs", maxCallTimeoutMs)
        .put("tickMs", tickMs)
        .put("reconnectInitialMs", reconnectInitialMs)
        .put("reconnectMaxMs", reconnectMaxMs)
        .put("services", servicesJson)
        .put("limits", limits.toJson())
        .put("outliers", outliers.toJson())
        .put("sessions", sessions.toJson())
        .put("push", push.toJson())
        .put("clientConnection", clientConnection.toJson())
        .put("serviceConnection", serviceConnection.toJson())
        .put("registry", registry.toJson())
        // Optional sections are written as null when absent, so that every key is a known key.
        .put("auth", auth == null ? null : auth.toJson())
        .put("authTimeoutMs", authTimeoutMs)
        .put("maxUnauthenticatedFrameBytes", maxUnauthenticatedFrameBytes)
        .put("allowlist", allowlist == null ? null : new JsonArray(new ArrayList<>(allowlist)))
        .put("tls", tls == null ? null : tls.toJson())
        .put("serviceTls", serviceTls == null ? null : serviceTls.toJson())
        .put("maxConnections", maxConnections)
        .put("maxConnectionsPerIp", maxConnectionsPerIp)
        .put("maxInFlightPerConnection", maxInFlightPerConnection)
        .put("idleTimeoutMs", idleTimeoutMs)
        .put("drainGraceMs", drainGraceMs)
        .put("http", http == null ? null : http.toJson());
    if (advertiseHost != null) {
      json.put("advertiseHost", advertiseHost);
    }
    return json;
  }

  public Mode getMode() {
    return mode;
  }

  public GateOptions setMode(Mode mode) {
    this.mode = java.util.Objects.requireNonNull(mode, "mode");
    return this;
  }

  public String getHost() {
    return host;
  }

  /** The address clients connect to. */
  public GateOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  /** The client port; 0 picks a free one (tests). */
  public GateOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, but was " + port);
    }
    this.port = port;
    return this;
  }

  public String getAdvertiseHost() {
    return advertiseHost;
  }

  /** The host in the gate's id ({@code host:port}), as others reach it; never {@code 0.0.0.0}. */
  public GateOptions setAdvertiseHost(String advertiseHost) {
    if (advertiseHost != null && (advertiseHost.equals("0.0.0.0") || advertiseHost.equals("::"))) {
      throw new IllegalArgumentException("advertiseHost must be an address others can reach, but was " + advertiseHost);
    }
    this.advertiseHost = advertiseHost == null || advertiseHost.isBlank() ? null : advertiseHost;
    return this;
  }

  public int getInstances() {
    return instances;
  }

  /** Gate verticle instances sharing the port, one per event loop they run on. */
  public GateOptions setInstances(int instances) {
    if (instances < 1) {
      throw new IllegalArgumentException("instances must be >= 1, but was " + instances);
    }
    this.instances = instances;
    return this;
  }

  public long getCallTimeoutMs() {
    return callTimeoutMs;
  }

  /** The budget of a call that sets no {@code Timeout}. */
  public GateOptions setCallTimeoutMs(long callTimeoutMs) {
    if (callTimeoutMs < 1) {
      throw new IllegalArgumentException("callTimeoutMs must be >= 1, but was " + callTimeoutMs);
    }
    this.callTimeoutMs = callTimeoutMs;
    return this;
  }

  public long getMaxCallTimeoutMs() {
    return maxCallTimeoutMs;
  }

  /** The longest budget a caller may ask for; longer ones are cut to it. */
  public GateOptions setMaxCallTimeoutMs(long maxCallTimeoutMs) {
    if (maxCallTimeoutMs < 1) {
      throw new IllegalArgumentException("maxCallTimeoutMs must be >= 1, but was " + maxCallTimeoutMs);
    }
    this.maxCallTimeoutMs = maxCallTimeoutMs;
    return this;
  }

  public long getTickMs() {
    return tickMs;
  }

  /** Resolution of call deadlines. */
  public GateOptions setTickMs(long tickMs) {
    if (tickMs < 1) {
      throw new IllegalArgumentException("tickMs must be >= 1, but was " + tickMs);
    }
    this.tickMs = tickMs;
    return this;
  }

  public long getReconnectInitialMs() {
    return reconnectInitialMs;
  }

  public long getReconnectMaxMs() {
    return reconnectMaxMs;
  }

  /** Backoff between attempts to dial a service instance: doubles from initial up to max. */
  public GateOptions setReconnect(long initialMs, long maxMs) {
    if (initialMs < 1) {
      throw new IllegalArgumentException("reconnectInitialMs must be >= 1, but was " + initialMs);
    }
    if (maxMs < initialMs) {
      throw new IllegalArgumentException("reconnectMaxMs must be >= reconnectInitialMs (" + initialMs + "), but was " + maxMs);
    }
    this.reconnectInitialMs = initialMs;
    this.reconnectMaxMs = maxMs;
    return this;
  }

  public ServicePolicy getDefaultPolicy() {
    return defaultPolicy;
  }

  /** The policy of services not named in {@link #setServices}: the top-level keys of the config. */
  public GateOptions setDefaultPolicy(ServicePolicy defaultPolicy) {
    this.defaultPolicy = java.util.Objects.requireNonNull(defaultPolicy, "defaultPolicy");
    return this;
  }

  public Map<String, ServicePolicy> getServices() {
    return services;
  }

  /** Policies per service, keyed {@code namespace/service}. */
  public GateOptions setServices(Map<String, ServicePolicy> services) {
    this.services = Map.copyOf(services);
    return this;
  }

  /** The policy of one service ({@code namespace/service}). */
  public ServicePolicy policyFor(String serviceKey) {
    return services.getOrDefault(serviceKey, defaultPolicy);
  }

  /** Sets the balancer of services without a policy of their own. */
  public GateOptions setLoadBalancer(LoadBalancerType loadBalancer) {
    ServicePolicy d = defaultPolicy;
    return setDefaultPolicy(new ServicePolicy(loadBalancer, d.retry(), d.breaker(), d.rateLimit(), d.methodRateLimits()));
  }

  /** Gives services their own balancer, keeping the default policy otherwise. */
  public GateOptions setServiceLoadBalancers(Map<String, LoadBalancerType> balancers) {
    Map<String, ServicePolicy> policies = new HashMap<>(services);
    balancers.forEach((k, lb) -> {
      ServicePolicy p = policyFor(k);
      policies.put(k, new ServicePolicy(lb, p.retry(), p.breaker(), p.rateLimit(), p.methodRateLimits()));
    });
    return setServices(policies);
  }

  /** The balancer of one service. */
  public LoadBalancerType loadBalancerFor(String serviceKey) {
    return policyFor(serviceKey).loadBalancer();
  }

  public GateLimits getLimits() {
    return limits;
  }

  /** Rate limits per connection and per client source. */
  public GateOptions setLimits(GateLimits limits) {
    this.limits = java.util.Objects.requireNonNull(limits, "limits");
    return this;
  }

  public SessionOptions getSessions() {
    return sessions;
  }

  /** The session directory logins are kept in (in-JVM by default, Redis for a mesh of processes). */
  public GateOptions setSessions(SessionOptions sessions) {
    this.sessions = java.util.Objects.requireNonNull(sessions, "sessions");
    return this;
  }

  public PushSettings getPush() {
    return push;
  }

  public GateOptions setPush(PushSettings push) {
    this.push = java.util.Objects.requireNonNull(push, "push");
    return this;
  }

  public OutlierOptions getOutliers() {
    return outliers;
  }

  public GateOptions setOutliers(OutlierOptions outliers) {
    this.outliers = java.util.Objects.requireNonNull(outliers, "outliers");
    return this;
  }

  public ConnectionOptions getClientConnection() {
    return clientConnection;
  }

  /** Limits and heartbeats of client connections. */
  public GateOptions setClientConnection(ConnectionOptions clientConnection) {
    this.clientConnection = java.util.Objects.requireNonNull(clientConnection, "clientConnection");
    return this;
  }

  public ConnectionOptions getServiceConnection() {
    return serviceConnection;
  }

  /** Limits and heartbeats of the gate's connections to service instances. */
  public GateOptions setServiceConnection(ConnectionOptions serviceConnection) {
    this.serviceConnection = java.util.Objects.requireNonNull(serviceConnection, "serviceConnection");
    return this;
  }

  public RegistryOptions getRegistry() {
    return registry;
  }

  public GateOptions setRegistry(RegistryOptions registry) {
    this.registry = java.util.Objects.requireNonNull(registry, "registry");
    return this;
  }

  // ---------------------------------------------------------------- security and limits

  public AuthOptions getAuth() {
    return auth;
  }

  /**
   * How an external gate checks {@code MSG_C2G_AUTH} tokens ({@code null}: not configured; an
   * external gate then needs a {@link io.weft.core.auth.TokenVerifier} given in code, or fails to
   * start). An internal gate ignores it.
   */
  public GateOptions setAuth(AuthOptions auth) {
    this.auth = auth == null ? null : new AuthOptions(auth);
    return this;
  }

  public long getAuthTimeoutMs() {
    return authTimeoutMs;
  }

  /** How long a new connection to an external gate has to authenticate before it is closed. */
  public GateOptions setAuthTimeoutMs(long authTimeoutMs) {
    if (authTimeoutMs < 1) {
      throw new IllegalArgumentException("authTimeoutMs must be >= 1, but was " + authTimeoutMs);
    }
    this.authTimeoutMs = authTimeoutMs;
    return this;
  }

  public int getMaxUnauthenticatedFrameBytes() {
    return maxUnauthenticatedFrameBytes;
  }

  /**
   * The largest frame an external gate reads before the connection has authenticated (16 KiB by
   * default; never above {@code clientConnection.maxFrameBytes}): a stranger cannot make the gate
   * buffer a large frame. It must fit the auth frame: {@code auth.maxTokenBytes} plus 512.
   */
  public GateOptions setMaxUnauthenticatedFrameBytes(int maxUnauthenticatedFrameBytes) {
    if (maxUnauthenticatedFrameBytes < 1024) {
      throw new IllegalArgumentException("maxUnauthenticatedFrameBytes must be >= 1024, but was "
          + maxUnauthenticatedFrameBytes);
    }
    this.maxUnauthenticatedFrameBytes = maxUnauthenticatedFrameBytes;
    return this;
  }

  /** The allowlist as set; {@code null}: the mode's default (see {@link #effectiveAllowlist()}). */
  public List<String> getAllowlist() {
    return allowlist;
  }

  /**
   * CIDR blocks (IPv4 and IPv6) clients may connect from; connections from anywhere else are
   * closed as they are accepted. {@code null}, the default: an internal gate accepts loopback and
   * private ranges ({@link #DEFAULT_INTERNAL_ALLOWLIST}), an external gate anyone.
   * {@code ["0.0.0.0/0", "::/0"]} opens an internal gate to every address.
   */
  public GateOptions setAllowlist(List<String> allowlist) {
    if (allowlist != null) {
      IpAllowlist.parse("allowlist", allowlist);
    }
    this.allowlist = allowlist == null ? null : List.copyOf(allowlist);
    return this;
  }

  /** The allowlist applied, or {@code null} when every address is allowed. */
  public List<String> effectiveAllowlist() {
    if (allowlist != null) {
      return allowlist;
    }
    return mode == Mode.INTERNAL ? DEFAULT_INTERNAL_ALLOWLIST : null;
  }

  public TlsOptions getTls() {
    return tls;
  }

  /** TLS on the client port ({@code null}: plain TCP); {@code caFile} requires client certificates. */
  public GateOptions setTls(TlsOptions tls) {
    if (tls != null) {
      tls.checkServer("tls");
    }
    this.tls = tls == null ? null : new TlsOptions(tls);
    return this;
  }

  public TlsOptions getServiceTls() {
    return serviceTls;
  }

  /**
   * TLS to service instances ({@code null}: plain TCP): {@code caFile} the CA their certificates
   * chain to, {@code certFile}/{@code keyFile} the gate's client certificate for services that
   * require one, {@code verifyHostname} whether a certificate must name the host the instance
   * registered (default true).
   */
  public GateOptions setServiceTls(TlsOptions serviceTls) {
    if (serviceTls != null) {
      serviceTls.checkClient("serviceTls");
    }
    this.serviceTls = serviceTls == null ? null : new TlsOptions(serviceTls);
    return this;
  }

  public int getMaxConnections() {
    return maxConnections;
  }

  /** Client connections the gate (all its instances) holds at most; more are closed as accepted. */
  public GateOptions setMaxConnections(int maxConnections) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be >= 1, but was " + maxConnections);
    }
    this.maxConnections = maxConnections;
    return this;
  }

  public int getMaxConnectionsPerIp() {
    return maxConnectionsPerIp;
  }

  /** Client connections from one IP address the gate holds at most; more are closed as accepted. */
  public GateOptions setMaxConnectionsPerIp(int maxConnectionsPerIp) {
    if (maxConnectionsPerIp < 1) {
      throw new IllegalArgumentException("maxConnectionsPerIp must be >= 1, but was " + maxConnectionsPerIp);
    }
    this.maxConnectionsPerIp = maxConnectionsPerIp;
    return this;
  }

  public int getMaxInFlightPerConnection() {
    return maxInFlightPerConnection;
  }

  /** Calls one client connection may have waiting for an answer; one more is answered 8. */
  public GateOptions setMaxInFlightPerConnection(int maxInFlightPerConnection) {
    if (maxInFlightPerConnection < 1) {
      throw new IllegalArgumentException("maxInFlightPerConnection must be >= 1, but was " + maxInFlightPerConnection);
    }
    this.maxInFlightPerConnection = maxInFlightPerConnection;
    return this;
  }

  public long getIdleTimeoutMs() {
    return idleTimeoutMs;
  }

  /**
   * On an external gate, a connection that has sent no request (call, login, logoff, push reply)
   * for this long and has no client id logged in is closed (10 minutes by default; 0: never).
   * Heartbeats do not count: they keep a dead peer's connection from lingering, not an idle one.
   */
  public GateOptions setIdleTimeoutMs(long idleTimeoutMs) {
    if (idleTimeoutMs < 0) {
      throw new IllegalArgumentException("idleTimeoutMs must be >= 0 (0: never), but was " + idleTimeoutMs);
    }
    this.idleTimeoutMs = idleTimeoutMs;
    return this;
  }

  public long getDrainGraceMs() {
    return drainGraceMs;
  }

  /**
   * How long a draining gate ({@link GateVerticle#drain()}, on SIGTERM under {@code weft run})
   * keeps serving its clients after telling them it is draining, for them to reconnect to another
   * gate; it stops earlier once they have all gone. 0 closes them at once.
   */
  public GateOptions setDrainGraceMs(long drainGraceMs) {
    if (drainGraceMs < 0) {
      throw new IllegalArgumentException("drainGraceMs must be >= 0, but was " + drainGraceMs);
    }
    this.drainGraceMs = drainGraceMs;
    return this;
  }

  public GateHttpOptions getHttp() {
    return http;
  }

  /**
   * The gate's HTTP side: WebSocket clients, the HTTP gateway, static files, on a port of its own
   * ({@code null}, the default: none). See {@link GateHttpOptions}.
   */
  public GateOptions setHttp(GateHttpOptions http) {
    this.http = http == null ? null : new GateHttpOptions(http);
    return this;
  }
}
