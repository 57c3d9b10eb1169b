package io.weft.gate.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.Code;
import io.weft.core.governance.BreakerOptions;
import io.weft.core.governance.RetryPolicy;
import io.weft.core.lb.LoadBalancerType;
import io.weft.core.protocol.Envelope.RouteResponse;
import io.weft.core.test.TestPeer;
import io.weft.gate.GateOptions;
import io.weft.gate.OutlierOptions;
import io.weft.gate.ServicePolicy;
import io.weft.gate.governance.FlakyService.Call;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Circuit breakers per instance and outlier ejection. */
@ExtendWith(VertxExtension.class)
class GateHealthIT {

  private static final OutlierOptions NO_OUTLIERS = new OutlierOptions(false, 1000, 3, 20, 1.9, 50, 1000);

  private FlakyMesh mesh;

  @BeforeEach
  void setUp(Vertx vertx) {
    mesh = new FlakyMesh(vertx);
  }

  private static GateOptions gate(BreakerOptions breaker, OutlierOptions outliers) {
    return new GateOptions().setOutliers(outliers).setServices(Map.of("test/flaky", new ServicePolicy(
        LoadBalancerType.ROUND_ROBIN, RetryPolicy.DEFAULT, breaker, null, Map.of())));
  }

  @Test
  void consecutiveFailuresOpenTheCircuitAndProbesCloseItOnceTheInstanceHeals() throws Exception {
    String sick = mesh.start(true);
    String healthy = mesh.start(false);
    mesh.startGate(gate(new BreakerOptions(3, 100, 100, 100, 300, 1), NO_OUTLIERS), 2);
    TestPeer peer = mesh.peer();
    int failures = 0;
    for (int i = 0; i < 6; i++) {
      if (mesh.call(peer, "Broken", new Call("a" + i, 0, 0)).code() != 0) {
        failures++;
      }
    }
    assertThat(failures).as("three failures on the sick instance, then its circuit opens").isEqualTo(3);
    assertThat(mesh.routable()).containsExactly(healthy);
    for (int i = 0; i < 5; i++) {
      RouteResponse r = mesh.call(peer, "Broken", new Call("b" + i, 0, 0));
      assertThat(r.code()).isZero();
      assertThat(FlakyMesh.instanceOf(r)).isEqualTo(healthy);
    }
    FlakyService.HEALED.put(sick, true);
    // after openMs the circuit lets a probe through; it succeeds and the instance is back
    await().atMost(Duration.ofSeconds(3)).until(() -> {
      mesh.call(peer, "Broken", new Call("p", 0, 0));
      return mesh.routable().size() == 2;
    });
  }

  @Test
  void aFailedProbeOpensTheCircuitAgain() throws Exception {
    String sick = mesh.start(true);
    mesh.start(false);
    mesh.startGate(gate(new BreakerOptions(2, 100, 100, 100, 200, 1), NO_OUTLIERS), 2);
    TestPeer peer = mesh.peer();
    for (int i = 0; i < 4; i++) {
      mesh.call(peer, "Broken", new Call("x" + i, 0, 0));
    }
    assertThat(mesh.routable()).doesNotContain(sick);
    await().atMost(Duration.ofSeconds(2)).until(() -> mesh.routable().contains(sick));
    int before = FlakyService.BY_INSTANCE.get(sick).get();
    for (int i = 0; i < 4; i++) {
      mesh.call(peer, "Broken", new Call("y" + i, 0, 0));
    }
    assertThat(FlakyService.BY_INSTANCE.get(sick).get() - before).as("one probe only").isEqualTo(1);
    assertThat(mesh.routable()).doesNotContain(sick);
  }

  @Test
  void whenEveryCircuitIsOpenTheServiceIsUnavailable() throws Exception {
    mesh.start(true);
    mesh.startGate(gate(new BreakerOptions(2, 100, 100, 100, 60_000, 1), NO_OUTLIERS), 1);
    TestPeer peer = mesh.peer();
    mesh.call(peer, "Broken", new Call("1", 0, 0));
    mesh.call(peer, "Broken", new Call("2", 0, 0));
    RouteResponse r = mesh.call(peer, "Broken", new Call("3", 0, 0));
    assertThat(r.code()).isEqualTo(Code.UNAVAILABLE.value());
    assertThat(r.error()).contains("no available instance");
    assertThat(FlakyService.executions("3")).isZero();
  }

  @Test
  void aHighErrorRateInTheWindowOpensTheCircuit() throws Exception {
    String sick = mesh.start(true);
    mesh.start(false);
    // never five in a row (the healthy instance answers in between), but half fail over the window
    mesh.startGate(gate(new BreakerOptions(1000, 50, 10, 10, 60_000, 1), NO_OUTLIERS), 2);
    TestPeer peer = mesh.peer();
    for (int i = 0; i < 24; i++) {
      mesh.call(peer, "Broken", new Call("w" + i, 0, 0));
    }
    assertThat(mesh.routable()).doesNotContain(sick);
  }

  @Test
  void anInstanceFarWorseThanItsPeersIsEjectedForAWhile() throws Exception {
    String sick = mesh.start(true);
    mesh.start(false);
    mesh.start(false);
    BreakerOptions lenient = new BreakerOptions(1000, 100, 1000, 1000, 1000, 1);
    mesh.startGate(gate(lenient, new OutlierOptions(true, 300, 3, 5, 1.0, 50, 1000)), 3);
    TestPeer peer = mesh.peer();
    for (int i = 0; i < 30; i++) {
      mesh.call(peer, "Broken", new Call("o" + i, 0, 0));
    }
    await().atMost(Duration.ofSeconds(2)).until(() -> !mesh.routable().contains(sick));
    assertThat(mesh.routable()).hasSize(2);
    // ejection is temporary
    await().atMost(Duration.ofSeconds(3)).until(() -> mesh.routable().contains(sick));
  }
}
