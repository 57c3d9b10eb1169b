package io.weft.core.conn;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * TLS for one side of Weft connections, from PEM files:
 * <pre>{@code
 * "tls": {"certFile": "/etc/weft/gate.crt", "keyFile": "/etc/weft/gate.key",
 *         "caFile": "/etc/weft/clients-ca.crt", "clientAuth": "required",
 *         "verifyHostname": true, "handshakeTimeoutMs": 5000}
 * }</pre>
 * <b>On a listener</b> (gate client port, service port) {@code certFile} and {@code keyFile} are
 * required (the chain, leaf first, and its PKCS#8 or PKCS#1 key). {@code caFile} turns on client
 * certificates: {@code clientAuth} is then {@code required} by default ({@code request}: checked
 * when presented); without {@code caFile} it must be {@code none}.
 * <p>
 * <b>On a dialler</b> (a gate dialling services, a {@code MeshClient}) {@code caFile} is the CA the
 * peer's certificate must chain to (the JVM's default trust store when absent), and
 * {@code certFile}/{@code keyFile}, both or neither, are the certificate presented to a listener
 * that asks for one. {@code verifyHostname} (default {@code true}) checks that the certificate
 * names the host dialled (as a DNS or IP subject alternative name): a gate dials the host a
 * service registered, so service certificates must carry that name or address. Turning it off
 * accepts any certificate the CA signed, which is only sound when the CA signs nothing but the
 * mesh's own services.
 * <p>
 * {@code handshakeTimeoutMs} bounds how long a handshake may take, on either side: a peer that
 * opens a connection and never finishes its handshake is dropped then. Unknown keys are refused.
 */
public class TlsOptions {

  public static final long DEFAULT_HANDSHAKE_TIMEOUT_MS = 5_000;
  public static final boolean DEFAULT_VERIFY_HOSTNAME = true;
  private static final Set<String> KNOWN_KEYS = Set.of("certFile", "keyFile", "caFile", "clientAuth",
      "verifyHostname", "handshakeTimeoutMs");

  /** Whether a listener asks dialling peers for a certificate. */
  public enum ClientCerts { NONE, REQUEST, REQUIRED }

  private String certFile;
  private String keyFile;
  private String caFile;
  private ClientCerts clientAuth;
  private boolean verifyHostname = DEFAULT_VERIFY_HOSTNAME;
  private long handshakeTimeoutMs = DEFAULT_HANDSHAKE_TIMEOUT_MS;

  public TlsOptions() {
  }

  public TlsOptions(TlsOptions other) {
    this.certFile = other.certFile;
    this.keyFile = other.keyFile;
    this.caFile = other.caFile;
    this.clientAuth = other.clientAuth;
    this.verifyHostname = other.verifyHostname;
    this.handshakeTimeoutMs = other.handshakeTimeoutMs;
  }

  public TlsOptions(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!KNOWN_KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key tls." + key + "; known keys: " + new TreeSet<>(KNOWN_KEYS));
      }
    }
    setCertFile(json.getString("certFile"));
    setKeyFile(json.getString("keyFile"));
    setCaFile(json.getString("caFile"));
    String auth = json.getString("clientAuth");
    if (auth != null) {
      try {
        setClientAuth(ClientCerts.valueOf(auth.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("tls.clientAuth must be 'none', 'request' or 'required', but was '" + auth + "'");
      }
    }
    setVerifyHostname(json.getBoolean("verifyHostname", DEFAULT_VERIFY_HOSTNAME));
    setHandshakeTimeoutMs(json.getLong("handshakeTimeoutMs", DEFAULT_HANDSHAKE_TIMEOUT_MS));
  }

  /** Reads an optional section: {@code null} (absent or JSON null) means no TLS. */
  public static TlsOptions fromJson(Object json, String key) {
    if (json == null) {
      return null;
    }
    if (!(json instanceof JsonObject object)) {
      throw new IllegalArgumentException(key + " must be an object or null, but was " + json);
    }
    try {
      return new TlsOptions(object);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (certFile != null) {
      json.put("certFile", certFile);
    }
    if (keyFile != null) {
      json.put("keyFile", keyFile);
    }
    if (caFile != null) {
      json.put("caFile", caFile);
    }
    if (clientAuth != null) {
      json.put("clientAuth", clientAuth.name().toLowerCase(Locale.ROOT));
    }
    return json.put("verifyHostname", verifyHostname).put("handshakeTimeoutMs", handshakeTimeoutMs);
  }

  /** Checks what a listener needs, naming keys under {@code prefix} (e.g. {@code "tls"}). */
  public void checkServer(String prefix) {
    if (certFile == null || keyFile == null) {
      throw new IllegalArgumentException(prefix + ".certFile and " + prefix + ".keyFile are required to listen with TLS");
    }
    if (caFile == null && clientAuth != null && clientAuth != ClientCerts.NONE) {
      throw new IllegalArgumentException(prefix + ".clientAuth '" + clientAuth.name().toLowerCase(Locale.ROOT)
          + "' needs " + prefix + ".caFile, the CA client certificates are checked against");
    }
  }

  /** Checks what a dialler needs: a client certificate comes with its key. */
  public void checkClient(String prefix) {
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException(prefix + ".certFile and " + prefix + ".keyFile go together (a client certificate)");
    }
  }

  /** Fails naming the key when a configured file cannot be read: call it at start, before listening or dialling. */
  public void checkFiles(String prefix) {
    checkFile(prefix + ".certFile", certFile);
    checkFile(prefix + ".keyFile", keyFile);
    checkFile(prefix + ".caFile", caFile);
  }

  private static void checkFile(String key, String file) {
    if (file != null && !Files.isReadable(Path.of(file))) {
      throw new IllegalArgumentException(key + ": cannot read " + file);
    }
  }

  /** Turns TLS on for a listener. */
  public NetServerOptions applyTo(NetServerOptions server) {
    server.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certFile).setKeyPath(keyFile))
        .setSslHandshakeTimeout(handshakeTimeoutMs)
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    if (caFile != null) {
      server.setTrustOptions(new PemTrustOptions().addCertPath(caFile));
    }
    ClientCerts mode = effectiveClientAuth();
    server.setClientAuth(switch (mode) {
      case NONE -> ClientAuth.NONE;
      case REQUEST -> ClientAuth.REQUEST;
      case REQUIRED -> ClientAuth.REQUIRED;
    });
    return server;
  }

  /** Turns TLS on for a dialler. */
  public NetClientOptions applyTo(NetClientOptions client) {
    client.setSsl(true)
        .setHostnameVerificationAlgorithm(verifyHostname ? "HTTPS" : "")
        .setSslHandshakeTimeout(handshakeTimeoutMs)
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    if (caFile != null) {
      client.setTrustOptions(new PemTrustOptions().addCertPath(caFile));
    }
    if (certFile != null) {
      client.setKeyCertOptions(new PemKeyCertOptions().setCertPath(certFile).setKeyPath(keyFile));
    }
    return client;
  }

  /** {@code clientAuth} as set, else {@code required} with a {@code caFile} and {@code none} without. */
  public ClientCerts effectiveClientAuth() {
    if (clientAuth != null) {
      return clientAuth;
    }
    return caFile != null ? ClientCerts.REQUIRED : ClientCerts.NONE;
  }

  public String getCertFile() {
    return certFile;
  }

  /** The certificate chain, PEM, leaf first. */
  public TlsOptions setCertFile(String certFile) {
    this.certFile = blankToNull(certFile);
    return this;
  }

  public String getKeyFile() {
    return keyFile;
  }

  /** The private key of {@link #getCertFile()}, PEM (PKCS#8 or PKCS#1). */
  public TlsOptions setKeyFile(String keyFile) {
    this.keyFile = blankToNull(keyFile);
    return this;
  }

  public String getCaFile() {
    return caFile;
  }

  /** One or more CA certificates, PEM: what the peer's certificate must chain to. */
  public TlsOptions setCaFile(String caFile) {
    this.caFile = blankToNull(caFile);
    return this;
  }

  /** As set; {@code null}: derived from {@code caFile} (see {@link #effectiveClientAuth()}). */
  public ClientCerts getClientAuth() {
    return clientAuth;
  }

  public TlsOptions setClientAuth(ClientCerts clientAuth) {
    this.clientAuth = clientAuth;
    return this;
  }

  public boolean isVerifyHostname() {
    return verifyHostname;
  }

  public TlsOptions setVerifyHostname(boolean verifyHostname) {
    this.verifyHostname = verifyHostname;
    return this;
  }

  public long getHandshakeTimeoutMs() {
    return handshakeTimeoutMs;
  }

  public TlsOptions setHandshakeTimeoutMs(long handshakeTimeoutMs) {
    if (handshakeTimeoutMs < 1) {
      throw new IllegalArgumentException("tls.handshakeTimeoutMs must be >= 1, but was " + handshakeTimeoutMs);
    }
    this.handshakeTimeoutMs = handshakeTimeoutMs;
    return this;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
