package io.weft.launcher;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;

/**
 * The process's admin HTTP server: the top-level {@code admin} section of a mesh config.
 * <pre>{@code
 * "admin": {"host": "127.0.0.1", "port": 7070, "statusTimeoutMs": 2000}
 * }</pre>
 * It serves {@code /health} (liveness), {@code /ready} (every role registered and connected),
 * {@code /status} (JSON), {@code /metrics} (Prometheus) and the dashboard at {@code /}. Without the
 * section there is no admin server. It has no authentication: bind it to loopback or a network
 * only operators and probes reach.
 */
public class AdminOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7070;
  public static final long DEFAULT_STATUS_TIMEOUT_MS = 2_000;

  private static final Set<String> KEYS = Set.of("host", "port", "statusTimeoutMs");

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private long statusTimeoutMs = DEFAULT_STATUS_TIMEOUT_MS;

  public AdminOptions() {
  }

  public AdminOptions(AdminOptions other) {
    this(other.toJson());
  }

  /** Reads the section; unknown keys are refused, naming the key. */
  public AdminOptions(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key " + key + "; known keys: " + new TreeSet<>(KEYS));
      }
    }
    setHost(json.getString("host", DEFAULT_HOST));
    setPort(json.getInteger("port", DEFAULT_PORT));
    setStatusTimeoutMs(json.getLong("statusTimeoutMs", DEFAULT_STATUS_TIMEOUT_MS));
  }

  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port).put("statusTimeoutMs", statusTimeoutMs);
  }

  public String getHost() {
    return host;
  }

  /** The address to listen on; {@code 0.0.0.0} for probes from outside (Kubernetes). */
  public AdminOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  /** The port; 0 picks a free one (tests). */
  public AdminOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, but was " + port);
    }
    this.port = port;
    return this;
  }

  public long getStatusTimeoutMs() {
    return statusTimeoutMs;
  }

  /** How long {@code /status} waits for a role's part (a role whose event loop is stuck answers late). */
  public AdminOptions setStatusTimeoutMs(long statusTimeoutMs) {
    if (statusTimeoutMs < 1 || statusTimeoutMs > 60_000) {
      throw new IllegalArgumentException("statusTimeoutMs must be 1..60000, but was " + statusTimeoutMs);
    }
    this.statusTimeoutMs = statusTimeoutMs;
    return this;
  }
}
