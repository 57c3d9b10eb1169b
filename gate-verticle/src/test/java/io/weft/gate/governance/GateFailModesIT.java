package io.weft.gate.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.Code;
import io.weft.core.governance.BreakerOptions;
import io.weft.core.governance.FailMode;
import io.weft.core.governance.RetryPolicy;
import io.weft.core.lb.LoadBalancerType;
import io.weft.core.protocol.Envelope.RouteResponse;
import io.weft.core.test.TestPeer;
import io.weft.gate.GateOptions;
import io.weft.gate.OutlierOptions;
import io.weft.gate.ServicePolicy;
import io.weft.gate.governance.FlakyService.Call;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Fail modes and retries: idempotent calls move on, others never run twice. */
@ExtendWith(VertxExtension.class)
class GateFailModesIT {

  /** A breaker that never opens, so that only the fail mode acts. */
  static final BreakerOptions NO_BREAKER = new BreakerOptions(1000, 100, 100, 100, 1000, 1);

  private FlakyMesh mesh;

  @BeforeEach
  void setUp(Vertx vertx) {
    mesh = new FlakyMesh(vertx);
  }

  static GateOptions gate(FailMode mode, int retries, long attemptTimeoutMs) {
    ServicePolicy policy = new ServicePolicy(LoadBalancerType.ROUND_ROBIN,
        new RetryPolicy(mode, retries, 5, attemptTimeoutMs), NO_BREAKER, null, Map.of());
    return new GateOptions().setServices(Map.of("test/flaky", policy))
        .setOutliers(new OutlierOptions(false, 1000, 3, 20, 1.9, 50, 1000));
  }

  @Test
  void failoverMovesIdempotentCallsOffAnOverloadedInstance() throws Exception {
    String sick = mesh.start(true);
    String healthy = mesh.start(false);
    mesh.startGate(gate(FailMode.FAILOVER, 2, 0), 2);
    TestPeer peer = mesh.peer();
    for (int i = 0; i < 10; i++) {
      RouteResponse r = mesh.call(peer, "Busy", new Call("b" + i, 0, 0));
      assertThat(r.code()).as(r.error()).isZero();
      assertThat(FlakyMesh.instanceOf(r)).isEqualTo(healthy);
    }
    assertThat(FlakyService.BY_INSTANCE.get(sick).get()).as("attempts did reach the sick instance").isPositive();
    assertThat(mesh.onGate(mesh.gate::retriedCount)).isPositive();
  }

  @Test
  void aCallThatIsNotIdempotentIsNeverSentTwice() throws Exception {
    mesh.start(true);
    mesh.start(false);
    mesh.startGate(gate(FailMode.FAILOVER, 3, 0), 2);
    TestPeer peer = mesh.peer();
    int refused = 0;
    for (int i = 0; i < 10; i++) {
      RouteResponse r = mesh.call(peer, "BusyOnce", new Call("n" + i, 0, 0));
      if (r.code() != 0) {
        assertThat(r.code()).isEqualTo(Code.RESOURCE_EXHAUSTED.value());
        refused++;
      }
      assertThat(FlakyService.executions("n" + i)).isEqualTo(1);
    }
    assertThat(refused).as("round robin sent half of them to the sick instance").isEqualTo(5);
  }

  @Test
  void losingAnInstanceFailsOverIdempotentCallsAndNeverRepeatsTheOthers() throws Exception {
    String doomed = mesh.start(true);
    String survivor = mesh.start(false);
    mesh.startGate(gate(FailMode.FAILOVER, 2, 0), 2);
    TestPeer peer = mesh.peer();
    // round robin: each pair of a kind lands one on each instance
    for (int i = 0; i < 10; i += 2) {
      mesh.send(peer, "CountIdem", new Call("i" + i, 5000, 0), 20_000, null, false, null);
      mesh.send(peer, "CountIdem", new Call("i" + (i + 1), 5000, 0), 20_000, null, false, null);
      mesh.send(peer, "Count", new Call("c" + i, 5000, 0), 20_000, null, false, null);
      mesh.send(peer, "Count", new Call("c" + (i + 1), 5000, 0), 20_000, null, false, null);
    }
    // the calls on the healthy instance are answered at once; the sick one holds its calls
    List<RouteResponse> early = FlakyMesh.collect(peer, 10);
    assertThat(early).allSatisfy(r -> assertThat(r.code()).isZero());
    mesh.stop(doomed);
    List<RouteResponse> rest = FlakyMesh.collect(peer, 10);
    Map<Integer, Long> codes = rest.stream().collect(Collectors.groupingBy(RouteResponse::code, Collectors.counting()));
    assertThat(codes).containsOnlyKeys(0, Code.UNAVAILABLE.value());
    assertThat(rest.stream().filter(r -> r.code() == 0)).allSatisfy(r ->
        assertThat(FlakyMesh.instanceOf(r)).isEqualTo(survivor));
    for (int i = 0; i < 10; i++) {
      assertThat(FlakyService.executions("c" + i)).as("Count c" + i).isEqualTo(1);
    }
    // the idempotent calls on the lost instance failed over; the others were answered 14
    assertThat(codes).containsEntry(0, 5L).containsEntry(Code.UNAVAILABLE.value(), 5L);
  }

  @Test
  void anAttemptTimeoutTriesAnIdempotentCallElsewhereWithinTheBudget() throws Exception {
    mesh.start(true);
    String healthy = mesh.start(false);
    mesh.startGate(gate(FailMode.FAILOVER, 2, 200), 2);
    TestPeer peer = mesh.peer();
    for (int i = 0; i < 4; i++) {
      long start = System.nanoTime();
      RouteResponse r = mesh.call(peer, "CountIdem", new Call("t" + i, 3000, 0), 5000, null);
      assertThat(r.code()).isZero();
      assertThat(FlakyMesh.instanceOf(r)).isEqualTo(healthy);
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1500);
    }
  }

  @Test
  void timeoutsNeverRepeatACallThatIsNotIdempotent() throws Exception {
    mesh.start(true);
    mesh.startGate(gate(FailMode.FAILOVER, 3, 100), 1);
    TestPeer peer = mesh.peer();
    long start = System.nanoTime();
    RouteResponse slow = mesh.call(peer, "Count", new Call("slow", 600, 0), 2000, null);
    assertThat(slow.code()).as("no attempt timeout for a call that cannot be retried").isZero();
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(600);
    RouteResponse late = mesh.call(peer, "Count", new Call("late", 1000, 0), 300, null);
    assertThat(late.code()).isEqualTo(Code.DEADLINE_EXCEEDED.value());
    assertThat(FlakyService.executions("slow")).isEqualTo(1);
    assertThat(FlakyService.executions("late")).isEqualTo(1);
  }

  @Test
  void failretryTriesTheSameInstanceAgain() throws Exception {
    mesh.start(false);
    String second = mesh.start(false);
    mesh.startGate(gate(FailMode.FAILRETRY, 2, 0), 2);
    TestPeer peer = mesh.peer();
    RouteResponse ok = mesh.call(peer, "FlakyIdem", new Call("r1", 0, 2));
    assertThat(ok.code()).isZero();
    assertThat(FlakyService.executions("r1")).isEqualTo(3);
    assertThat(FlakyService.BY_INSTANCE).hasSize(1);
    RouteResponse exhausted = mesh.call(peer, "FlakyIdem", new Call("r2", 0, 5));
    assertThat(exhausted.code()).isEqualTo(Code.UNAVAILABLE.value());
    assertThat(FlakyService.executions("r2")).isEqualTo(3);
    assertThat(second).isNotNull();
  }

  @Test
  void failsafeAnswersAnEmptyResultInsteadOfTheFailure() throws Exception {
    mesh.start(true);
    mesh.startGate(gate(FailMode.FAILSAFE, 0, 0), 1);
    TestPeer peer = mesh.peer();
    RouteResponse r = mesh.call(peer, "Broken", new Call("s", 0, 0));
    assertThat(r.code()).isZero();
    assertThat(TestPeer.bytes(r.reply())).containsExactly(0xc0);
  }

  @Test
  void aCallMayChooseItsOwnFailMode() throws Exception {
    mesh.start(true);
    mesh.startGate(gate(FailMode.FAILFAST, 0, 0), 1);
    TestPeer peer = mesh.peer();
    assertThat(mesh.call(peer, "Broken", new Call("x", 0, 0)).code()).isEqualTo(Code.INTERNAL.value());
    assertThat(mesh.call(peer, "Broken", new Call("y", 0, 0), 5000, "failsafe").code()).isZero();
    RouteResponse bogus = mesh.call(peer, "Broken", new Call("z", 0, 0), 5000, "sometimes");
    assertThat(bogus.code()).isEqualTo(Code.INVALID_ARGUMENT.value());
    assertThat(bogus.error()).contains("failMode");
    assertThat(Set.of(FlakyService.executions("z"))).containsExactly(0);
    io.weft.core.client.MeshClient client = io.weft.core.client.MeshClient.connect(mesh.vertx,
        new io.weft.core.client.MeshClientOptions().setPort(mesh.gate.actualPort())).await(5, java.util.concurrent.TimeUnit.SECONDS);
    Object empty = client.call("test", "flaky", "Broken", new Call("sdk", 0, 0), Map.class,
        io.weft.core.client.CallOptions.DEFAULT.withFailMode(FailMode.FAILSAFE)).await(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(empty).as("failsafe through the Java client: an empty result").isNull();
  }
}
