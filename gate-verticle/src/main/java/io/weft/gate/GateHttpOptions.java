package io.weft.gate;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The HTTP side of a gate: one more port, for browsers and HTTP callers, sharing the gate's
 * connection limits, allowlist, TLS, auth, access rules, rate limits and routing with its TCP
 * clients. It serves
 * <ul>
 *   <li>{@code /ws}: WebSocket clients, full peers like TCP ones (PROTOCOL.md section 2);</li>
 *   <li>{@code POST /rpc/<namespace>/<service>/<method>}: the HTTP gateway (section 18), a JSON
 *       body in, the reply as JSON out;</li>
 *   <li>{@code /weft/}: the JavaScript client for browsers ({@code /weft/weft-client.mjs});</li>
 *   <li>{@code webRoot}: static files (a directory, else a folder of the classpath), at {@code /};</li>
 *   <li>{@code POST /dev/token} with {@code devTokens}: development tokens for any subject.</li>
 * </ul>
 * <pre>{@code
 * "http": {"host": "127.0.0.1", "port": 7080, "webSocket": true, "gateway": true,
 *          "maxBodyBytes": 1048576, "webRoot": null, "allowedOrigins": null, "devTokens": false}
 * }</pre>
 * {@code host} defaults to the gate's. {@code allowedOrigins} names the web origins
 * ({@code https://app.example.com}, or {@code *}) whose pages may open WebSockets and call the
 * gateway; {@code null} allows only pages the HTTP side served itself (and callers that send no
 * {@code Origin}, which browsers always send). {@code devTokens} hands a signed token for any
 * subject to anyone who asks: for a development mesh on loopback only, and refused elsewhere.
 */
public class GateHttpOptions {

  public static final int DEFAULT_PORT = 7080;
  public static final boolean DEFAULT_WEB_SOCKET = true;
  public static final boolean DEFAULT_GATEWAY = true;
  public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

  private static final Set<String> KEYS = Set.of("host", "port", "webSocket", "gateway", "maxBodyBytes", "webRoot",
      "allowedOrigins", "devTokens");

  private String host;
  private int port = DEFAULT_PORT;
  private boolean webSocket = DEFAULT_WEB_SOCKET;
  private boolean gateway = DEFAULT_GATEWAY;
  private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  private String webRoot;
  private List<String> allowedOrigins;
  private boolean devTokens;

  public GateHttpOptions() {
  }

  public GateHttpOptions(GateHttpOptions other) {
    this(other.toJson());
  }

  /** Reads the {@code http} section; an unknown key is refused, naming it. */
  public GateHttpOptions(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key http." + key + "; known keys: " + new TreeSet<>(KEYS));
      }
    }
    setHost(json.getString("host"));
    setPort(json.getInteger("port", DEFAULT_PORT));
    setWebSocket(json.getBoolean("webSocket", DEFAULT_WEB_SOCKET));
    setGateway(json.getBoolean("gateway", DEFAULT_GATEWAY));
    setMaxBodyBytes(json.getInteger("maxBodyBytes", DEFAULT_MAX_BODY_BYTES));
    setWebRoot(json.getString("webRoot"));
    Object origins = json.getValue("allowedOrigins");
    if (origins != null && !(origins instanceof JsonArray)) {
      throw new IllegalArgumentException("http.allowedOrigins must be a list of origins or null, but was " + origins);
    }
    if (origins != null) {
      List<String> list = new ArrayList<>();
      for (Object o : (JsonArray) origins) {
        if (!(o instanceof String origin)) {
          throw new IllegalArgumentException("http.allowedOrigins entries must be strings, but one was " + o);
        }
        list.add(origin);
      }
      setAllowedOrigins(list);
    }
    setDevTokens(json.getBoolean("devTokens", false));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("host", host)
        .put("port", port)
        .put("webSocket", webSocket)
        .put("gateway", gateway)
        .put("maxBodyBytes", maxBodyBytes)
        .put("webRoot", webRoot)
        .put("allowedOrigins", allowedOrigins == null ? null : new JsonArray(new ArrayList<>(allowedOrigins)))
        .put("devTokens", devTokens);
  }

  public String getHost() {
    return host;
  }

  /** Where the HTTP side listens; {@code null}: the gate's own host. */
  public GateHttpOptions setHost(String host) {
    this.host = host == null || host.isBlank() ? null : host;
    return this;
  }

  public int getPort() {
    return port;
  }

  /** The HTTP port; 0 picks a free one (tests). */
  public GateHttpOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("http.port must be 0..65535, but was " + port);
    }
    this.port = port;
    return this;
  }

  public boolean isWebSocket() {
    return webSocket;
  }

  /** Whether {@code /ws} takes WebSocket clients. */
  public GateHttpOptions setWebSocket(boolean webSocket) {
    this.webSocket = webSocket;
    return this;
  }

  public boolean isGateway() {
    return gateway;
  }

  /** Whether {@code POST /rpc/...} takes calls. */
  public GateHttpOptions setGateway(boolean gateway) {
    this.gateway = gateway;
    return this;
  }

  public int getMaxBodyBytes() {
    return maxBodyBytes;
  }

  /** The largest request body the gateway reads; a longer one is answered 413 without being read whole. */
  public GateHttpOptions setMaxBodyBytes(int maxBodyBytes) {
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("http.maxBodyBytes must be >= 1, but was " + maxBodyBytes);
    }
    this.maxBodyBytes = maxBodyBytes;
    return this;
  }

  public String getWebRoot() {
    return webRoot;
  }

  /**
   * Static files served at {@code /}: a path relative to the working directory, else a folder of
   * the classpath ({@code weft-demo}, the demo page); {@code null}: none.
   */
  public GateHttpOptions setWebRoot(String webRoot) {
    if (webRoot != null && (webRoot.startsWith("/") || webRoot.contains(".."))) {
      throw new IllegalArgumentException("http.webRoot must be a relative path without '..', but was " + webRoot);
    }
    this.webRoot = webRoot == null || webRoot.isBlank() ? null : webRoot;
    return this;
  }

  public List<String> getAllowedOrigins() {
    return allowedOrigins;
  }

  /** Web origins allowed besides the HTTP side's own ({@code scheme://host[:port]}, or {@code *}); {@code null}: none. */
  public GateHttpOptions setAllowedOrigins(List<String> allowedOrigins) {
    if (allowedOrigins != null) {
      for (String origin : allowedOrigins) {
        if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
          throw new IllegalArgumentException("http.allowedOrigins entries must be scheme://host[:port] or *, but one was '"
              + origin + "'");
        }
      }
    }
    this.allowedOrigins = allowedOrigins == null ? null : List.copyOf(allowedOrigins);
    return this;
  }

  public boolean isDevTokens() {
    return devTokens;
  }

  /** Development only: {@code POST /dev/token {"Subject": "ann"}} answers a token for any subject. */
  public GateHttpOptions setDevTokens(boolean devTokens) {
    this.devTokens = devTokens;
    return this;
  }
}
