package io.weft.gate.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.client.MeshClient;
import io.weft.core.client.MeshClientOptions;
import io.weft.core.protocol.Envelope;
import io.weft.gate.GateOptions;
import io.weft.gate.impl.GateShared;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Limits every gate applies at accept and per connection: allowlist, connections per IP and per gate, calls in flight. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionLimitsIT {

  @Test
  void anInternalGateClosesConnectionsFromOutsideItsAllowlist(Vertx vertx) throws Exception {
    SecureMesh mesh = new SecureMesh(vertx);
    mesh.gate(new GateOptions().setAllowlist(List.of("10.0.0.0/8", "fc00::/7")));
    try (RawClient raw = new RawClient(mesh.port)) {
      assertThat(raw.closedWithin(3000)).isTrue();
    }
    assertThat(mesh.counter(GateShared.REFUSED_ALLOWLIST)).isEqualTo(1);

    // The default allowlist of an internal gate takes loopback.
    SecureMesh open = new SecureMesh(vertx);
    open.gate(new GateOptions());
    try (RawClient raw = new RawClient(open.port)) {
      raw.send(Envelope.HeartbeatRequest.INSTANCE);
      assertThat(raw.read(3000)).isInstanceOf(Envelope.HeartbeatResponse.class);
    }
  }

  @Test
  void connectionsOverTheLimitsPerIpAndPerGateAreClosedAtAccept(Vertx vertx) throws Exception {
    SecureMesh mesh = new SecureMesh(vertx);
    mesh.gate(new GateOptions().setMaxConnectionsPerIp(3).setMaxConnections(5), 2, null);
    List<RawClient> held = new ArrayList<>();
    try {
      InetAddress first = InetAddress.getByName("127.0.0.1");
      InetAddress second = InetAddress.getByName("127.0.0.2");
      for (int i = 0; i < 4; i++) {
        held.add(new RawClient(first, mesh.port));
      }
      int open = answering(held);
      assertThat(open).as("3 from the first address").isEqualTo(3);
      List<RawClient> more = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        more.add(new RawClient(second, mesh.port));
      }
      held.addAll(more);
      open += answering(more);
      assertThat(open).as("3 from the first address, then 2 more: the gate's 5").isEqualTo(5);
      assertThat(mesh.counter(GateShared.REFUSED_PER_IP)).isEqualTo(1);
      assertThat(mesh.counter(GateShared.REFUSED_MAX_CONNECTIONS)).isEqualTo(1);
      assertThat(mesh.counter("connections.open")).isEqualTo(5);
    } finally {
      held.forEach(RawClient::close);
    }
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
        .until(() -> mesh.counter("connections.open") == 0);
  }

  /** How many of {@code clients} still answer a heartbeat (accepted ones, in the order they were opened). */
  private static int answering(List<RawClient> clients) throws Exception {
    int open = 0;
    for (RawClient raw : clients) {
      try {
        raw.send(Envelope.HeartbeatRequest.INSTANCE);
        if (raw.read(3000) != null) {
          open++;
        }
      } catch (java.net.SocketException closedAlready) {
        // refused at accept
      }
    }
    return open;
  }

  @Test
  void callsOverTheInFlightLimitOfAConnectionAreAnswered8(Vertx vertx) throws Exception {
    SecureMesh mesh = new SecureMesh(vertx).echo();
    mesh.gate(new GateOptions().setMaxInFlightPerConnection(2).setTickMs(5));
    mesh.awaitRoutable("echo", 1);
    MeshClient client = mesh.client(new MeshClientOptions());
    List<Future<Map>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(client.call("demo", "echo", "Sleep", Map.of("Ms", 300), Map.class));
    }
    Future.join(calls).otherwiseEmpty().await(5, TimeUnit.SECONDS);
    long refused = calls.stream().filter(f -> f.failed()
        && ((MeshException) f.cause()).code() == Code.RESOURCE_EXHAUSTED).count();
    assertThat(refused).isEqualTo(1);
    // Answered calls free their places.
    client.call("demo", "echo", "Sleep", Map.of("Ms", 1), Map.class).await(5, TimeUnit.SECONDS);
    assertThat(mesh.counter(GateShared.IN_FLIGHT_REFUSED)).isEqualTo(1);
    client.close();
  }
}
