package io.weft.gate.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.Code;
import io.weft.core.governance.RateLimit;
import io.weft.core.protocol.Envelope;
import io.weft.core.test.TestPeer;
import io.weft.gate.GateLimits;
import io.weft.gate.GateOptions;
import io.weft.gate.ServicePolicy;
import io.weft.gate.governance.FlakyService.Call;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Token buckets per connection, source, service and method: over the limit is 8. */
@ExtendWith(VertxExtension.class)
class GateLimitsIT {

  /** Three calls, then one a minute: enough to tell a limit from no limit. */
  private static final RateLimit THREE = new RateLimit(1, 3);

  private FlakyMesh mesh;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    mesh = new FlakyMesh(vertx);
    mesh.start(false);
  }

  private static int okCalls(FlakyMesh mesh, TestPeer peer, String method, int n) throws Exception {
    int ok = 0;
    for (int i = 0; i < n; i++) {
      var r = mesh.call(peer, method, new Call("l" + i, 0, 0));
      if (r.code() == 0) {
        ok++;
      } else {
        assertThat(r.code()).isEqualTo(Code.RESOURCE_EXHAUSTED.value());
        assertThat(r.error()).contains("rate limit");
      }
    }
    return ok;
  }

  @Test
  void eachConnectionHasItsOwnBucket() throws Exception {
    mesh.startGate(new GateOptions().setLimits(new GateLimits(THREE, Map.of())), 1);
    TestPeer first = mesh.peer();
    TestPeer second = mesh.peer();
    assertThat(okCalls(mesh, first, "Count", 5)).isEqualTo(3);
    assertThat(okCalls(mesh, second, "Count", 5)).isEqualTo(3);
    assertThat(mesh.onGate(mesh.gate::limitBreaches)).containsEntry("per-connection", 4L);
  }

  @Test
  void aServiceLimitIsSharedByAllConnectionsAndAMethodLimitByItsMethod() throws Exception {
    ServicePolicy policy = new ServicePolicy(ServicePolicy.DEFAULT.loadBalancer(), ServicePolicy.DEFAULT.retry(),
        ServicePolicy.DEFAULT.breaker(), new RateLimit(1, 5), Map.of("CountIdem", THREE));
    mesh.startGate(new GateOptions().setServices(Map.of("test/flaky", policy)), 1);
    TestPeer first = mesh.peer();
    TestPeer second = mesh.peer();
    assertThat(okCalls(mesh, first, "CountIdem", 4)).as("method limit").isEqualTo(3);
    assertThat(okCalls(mesh, second, "Count", 4)).as("what the service limit has left").isEqualTo(2);
  }

  @Test
  void aSourceIsLimitedByItsLabel() throws Exception {
    mesh.startGate(new GateOptions().setLimits(new GateLimits(null, Map.of("bot", THREE))), 1);
    TestPeer bot = mesh.peer();
    bot.send(new Envelope.AuthRequest(1, "t", "bot"));
    bot.next(Envelope.AuthResponse.class);
    TestPeer app = mesh.peer();
    app.send(new Envelope.AuthRequest(1, "t", "app"));
    app.next(Envelope.AuthResponse.class);
    assertThat(okCalls(mesh, bot, "Count", 5)).isEqualTo(3);
    assertThat(okCalls(mesh, app, "Count", 5)).isEqualTo(5);
  }
}
