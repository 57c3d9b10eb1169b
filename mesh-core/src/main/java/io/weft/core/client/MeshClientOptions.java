package io.weft.core.client;

import io.vertx.core.json.JsonObject;
import io.weft.core.callback.CallbackTable;
import io.weft.core.conn.ConnectionOptions;
import io.weft.core.conn.TlsOptions;

/** Where a {@link MeshClient} connects and how it behaves. */
public class MeshClientOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7001;
  public static final long DEFAULT_CALL_TIMEOUT_MS = 10_000;
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String token;
  private String clientLabel;
  private long callTimeoutMs = DEFAULT_CALL_TIMEOUT_MS;
  private long connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
  private long tickMs = CallbackTable.DEFAULT_TICK_MS;
  private ConnectionOptions connection = new ConnectionOptions();
  private TlsOptions tls;

  public MeshClientOptions() {
  }

  public MeshClientOptions(MeshClientOptions other) {
    this.host = other.host;
    this.port = other.port;
    this.token = other.token;
    this.clientLabel = other.clientLabel;
    this.callTimeoutMs = other.callTimeoutMs;
    this.connectTimeoutMs = other.connectTimeoutMs;
    this.tickMs = other.tickMs;
    this.connection = new ConnectionOptions(other.connection);
    this.tls = other.tls == null ? null : new TlsOptions(other.tls);
  }

  public MeshClientOptions(JsonObject json) {
    setHost(json.getString("host", DEFAULT_HOST));
    setPort(json.getInteger("port", DEFAULT_PORT));
    setToken(json.getString("token"));
    setClientLabel(json.getString("clientLabel"));
    setCallTimeoutMs(json.getLong("callTimeoutMs", DEFAULT_CALL_TIMEOUT_MS));
    setConnectTimeoutMs(json.getLong("connectTimeoutMs", DEFAULT_CONNECT_TIMEOUT_MS));
    setTickMs(json.getLong("tickMs", CallbackTable.DEFAULT_TICK_MS));
    setConnection(new ConnectionOptions(json.getJsonObject("connection", new JsonObject())));
    setTls(TlsOptions.fromJson(json.getValue("tls"), "tls"));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("host", host)
        .put("port", port)
        .put("callTimeoutMs", callTimeoutMs)
        .put("connectTimeoutMs", connectTimeoutMs)
        .put("tickMs", tickMs)
        .put("connection", connection.toJson());
    if (token != null) {
      json.put("token", token);
    }
    if (clientLabel != null) {
      json.put("clientLabel", clientLabel);
    }
    if (tls != null) {
      json.put("tls", tls.toJson());
    }
    return json;
  }

  public String getHost() {
    return host;
  }

  public MeshClientOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  public MeshClientOptions setPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, but was " + port);
    }
    this.port = port;
    return this;
  }

  public String getToken() {
    return token;
  }

  /** The token sent in {@code MSG_C2G_AUTH}; {@code null} for an internal gate, which takes no auth. */
  public MeshClientOptions setToken(String token) {
    this.token = token;
    return this;
  }

  public String getClientLabel() {
    return clientLabel;
  }

  /** The {@code Client} label of {@code MSG_C2G_AUTH}, for the gate's logs and per-source limits. */
  public MeshClientOptions setClientLabel(String clientLabel) {
    this.clientLabel = clientLabel;
    return this;
  }

  public long getCallTimeoutMs() {
    return callTimeoutMs;
  }

  /** Budget of calls whose {@link CallOptions} set none. */
  public MeshClientOptions setCallTimeoutMs(long callTimeoutMs) {
    if (callTimeoutMs < 1) {
      throw new IllegalArgumentException("callTimeoutMs must be >= 1, but was " + callTimeoutMs);
    }
    this.callTimeoutMs = callTimeoutMs;
    return this;
  }

  public long getConnectTimeoutMs() {
    return connectTimeoutMs;
  }

  /** How long connecting, and authenticating when a token is set, may take. */
  public MeshClientOptions setConnectTimeoutMs(long connectTimeoutMs) {
    if (connectTimeoutMs < 1) {
      throw new IllegalArgumentException("connectTimeoutMs must be >= 1, but was " + connectTimeoutMs);
    }
    this.connectTimeoutMs = connectTimeoutMs;
    return this;
  }

  public long getTickMs() {
    return tickMs;
  }

  /** Resolution of call deadlines. */
  public MeshClientOptions setTickMs(long tickMs) {
    if (tickMs < 1) {
      throw new IllegalArgumentException("tickMs must be >= 1, but was " + tickMs);
    }
    this.tickMs = tickMs;
    return this;
  }

  public ConnectionOptions getConnection() {
    return connection;
  }

  public MeshClientOptions setConnection(ConnectionOptions connection) {
    this.connection = java.util.Objects.requireNonNull(connection, "connection");
    return this;
  }

  public TlsOptions getTls() {
    return tls;
  }

  /** TLS to the gate ({@code caFile}: the CA its certificate chains to; a client certificate if it asks); {@code null}: plain TCP. */
  public MeshClientOptions setTls(TlsOptions tls) {
    if (tls != null) {
      tls.checkClient("tls");
    }
    this.tls = tls;
    return this;
  }
}
