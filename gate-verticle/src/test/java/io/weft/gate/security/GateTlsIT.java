package io.weft.gate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.auth.AuthOptions;
import io.weft.core.client.MeshClient;
import io.weft.core.client.MeshClientOptions;
import io.weft.core.conn.TlsOptions;
import io.weft.core.protocol.Envelope;
import io.weft.gate.GateOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on all three legs, with certificates the test makes: client -> external gate, gate ->
 * service (the service requiring the gate's client certificate), hostnames verified.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GateTlsIT {

  @TempDir
  Path dir;
  private TestCerts.Ca ca;
  private TestCerts.Ca otherCa;
  private TestCerts.Leaf gateCert;
  private TestCerts.Leaf serviceCert;

  @BeforeEach
  void certificates() throws Exception {
    ca = TestCerts.ca(dir, "mesh");
    otherCa = TestCerts.ca(dir, "other");
    gateCert = TestCerts.leaf(dir, "gate", ca);
    serviceCert = TestCerts.leaf(dir, "service", ca);
  }

  private TlsOptions server(TestCerts.Leaf leaf) {
    return new TlsOptions().setCertFile(leaf.certFile().toString()).setKeyFile(leaf.keyFile().toString());
  }

  private TlsOptions trusting(TestCerts.Ca trusted) {
    return new TlsOptions().setCaFile(trusted.certFile().toString());
  }

  /** A TLS echo that requires a client certificate from {@code ca}, and an external TLS gate dialling it over TLS. */
  private SecureMesh tlsMesh(TestCerts.Ca gateTrusts) throws Exception {
    SecureMesh mesh = new SecureMesh(vertx);
    mesh.echo(mesh.service("echo").setTls(server(serviceCert).setCaFile(ca.certFile().toString())));
    mesh.gate(SecureMesh.external().setAuth(new AuthOptions(SecureMesh.auth()).setReplayWindowMs(0))
        .setTls(server(gateCert))
        .setServiceTls(trusting(gateTrusts).setCertFile(gateCert.certFile().toString())
            .setKeyFile(gateCert.keyFile().toString())));
    return mesh;
  }

  private Vertx vertx;

  @BeforeEach
  void vertx(Vertx vertx) {
    this.vertx = vertx;
  }

  @Test
  void aTlsClientTalksToATlsGateThatTalksTlsToATlsService() throws Exception {
    SecureMesh mesh = tlsMesh(ca);
    mesh.awaitRoutable("echo", 1);
    MeshClient client = mesh.client(new MeshClientOptions().setToken(SecureMesh.token("alice")).setTls(trusting(ca)));
    Map<?, ?> echoed = client.call("demo", "echo", "Echo", Map.of("Text", "over tls"), Map.class).await(5, TimeUnit.SECONDS);
    assertThat(echoed.get("Text")).isEqualTo("over tls");
    client.close();
  }

  @Test
  void plaintextToATlsPortIsClosedAndTheGateServesOthers() throws Exception {
    SecureMesh mesh = tlsMesh(ca);
    mesh.awaitRoutable("echo", 1);
    try (RawClient raw = new RawClient(mesh.port)) {
      raw.send(new Envelope.AuthRequest(1, SecureMesh.token("mallory"), null));
      assertThat(raw.closedWithin(5000)).as("no frame comes back, the connection closes").isTrue();
    }
    assertThatThrownBy(() -> mesh.client(new MeshClientOptions().setToken(SecureMesh.token("bob"))))
        .as("a plaintext MeshClient fails to connect, it does not hang").isNotNull();
    MeshClient client = mesh.client(new MeshClientOptions().setToken(SecureMesh.token("alice")).setTls(trusting(ca)));
    assertThat(client.call("demo", "echo", "Echo", Map.of(), Map.class).await(5, TimeUnit.SECONDS)).isNotNull();
    client.close();
  }

  @Test
  void aClientTrustingAnotherCaIsRefused() throws Exception {
    SecureMesh mesh = tlsMesh(ca);
    assertThatThrownBy(() -> mesh.client(new MeshClientOptions().setToken(SecureMesh.token("alice")).setTls(trusting(otherCa))))
        .isInstanceOf(MeshException.class);
  }

  @Test
  void aGateTrustingAnotherCaNeverRoutesToTheService() throws Exception {
    SecureMesh mesh = tlsMesh(otherCa);
    MeshClient client = mesh.client(new MeshClientOptions().setToken(SecureMesh.token("alice")).setTls(trusting(ca)));
    // The gate dials the instance and fails its handshake, again and again: it never routes to it.
    mesh.assertNeverRoutable("echo", Duration.ofMillis(500));
    assertThatThrownBy(() -> client.call("demo", "echo", "Echo", Map.of(), Map.class).await(5, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(MeshException.class, e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
    client.close();
  }

  @Test
  void aServiceRequiringClientCertificatesRefusesAGateWithoutOne() throws Exception {
    SecureMesh mesh = new SecureMesh(vertx);
    mesh.echo(mesh.service("echo").setTls(server(serviceCert).setCaFile(ca.certFile().toString())));
    mesh.gate(new GateOptions().setServiceTls(trusting(ca)).setTickMs(5));
    MeshClient client = mesh.client(new MeshClientOptions());
    // The gate dials the instance and fails its handshake, again and again: it never routes to it.
    mesh.assertNeverRoutable("echo", Duration.ofMillis(500));
    assertThatThrownBy(() -> client.call("demo", "echo", "Echo", Map.of(), Map.class).await(5, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(MeshException.class, e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
    client.close();
  }

  @Test
  void aMissingCertificateFileFailsTheStartNamingTheKey() {
    SecureMesh mesh = new SecureMesh(vertx);
    assertThatThrownBy(() -> mesh.gate(new GateOptions().setTls(new TlsOptions().setCertFile(dir.resolve("none.crt").toString())
        .setKeyFile(gateCert.keyFile().toString())))).hasMessageContaining("tls.certFile");
  }
}
