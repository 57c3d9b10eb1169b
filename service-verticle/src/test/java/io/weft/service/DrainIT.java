package io.weft.service;

import static io.weft.service.FakeGate.join;
import static io.weft.service.FakeGate.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBufUtil;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.Code;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.conn.CloseReason;
import io.weft.core.discovery.LocalServiceRegistry;
import io.weft.core.governance.ConcurrencyOptions;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.RouteRequest;
import io.weft.core.protocol.Envelope.ServiceCall;
import io.weft.core.protocol.Envelope.ServiceReply;
import io.weft.service.CallingService.Forward;
import io.weft.service.CallingService.Later;
import io.weft.service.TestService.Id;
import io.weft.service.TestService.Slept;
import io.weft.service.TestService.Slow;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A service instance draining (PROTOCOL.md section 15), seen from the gates connected to it: the
 * notice, the acknowledgement that ends the calls a gate sends, the calls in flight that finish
 * and are answered before the link closes, late calls handed back unrun, and the deadline.
 */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class DrainIT {

  private static ServiceOptions options() {
    return new ServiceOptions().setNamespace("test").setName("svc").setHost("127.0.0.1").setDrainTimeoutMs(10_000);
  }

  private static ServiceHost deploy(Vertx vertx, ServiceOptions options) {
    ServiceHost host = new ServiceHost(options, TestService::new);
    join(vertx.deployVerticle(host));
    return host;
  }

  /** Calls running on the host, read on its context. */
  private static int running(Vertx vertx, ServiceHost host) throws Exception {
    CompletableFuture<Integer> n = new CompletableFuture<>();
    vertx.runOnContext(v -> n.complete(host.running()));
    return n.get(2, TimeUnit.SECONDS);
  }

  @Test
  void theGatesAreToldAndTheDrainEndsOnceTheyAcknowledgeWithNothingInFlight(Vertx vertx) {
    ServiceHost host = deploy(vertx, options());
    FakeGate gate = FakeGate.connect(vertx, host.actualPort());
    LocalServiceRegistry registry = LocalServiceRegistry.get(vertx);

    Future<Void> drained = host.drain();
    gate.next(Envelope.Draining.class);

    assertThat(host.isDraining()).isTrue();
    assertThat(drained.isComplete()).as("waiting for the gate's acknowledgement").isFalse();
    gate.send(Envelope.DrainingAck.INSTANCE);
    join(drained);
    assertThat(registry.instances()).as("deregistered").isEmpty();
    assertThat(gate.awaitClosed()).isEqualTo(CloseReason.PEER);
    join(host.drain());
  }

  @Test
  void callsInFlightFinishAndAreAnsweredBeforeTheLinkCloses(Vertx vertx) throws Exception {
    ServiceHost host = deploy(vertx, options());
    FakeGate gate = FakeGate.connect(vertx, host.actualPort());
    long slow = gate.send("Slow", new Slow(400), Envelope.ABSENT, null);
    await().atMost(Duration.ofSeconds(2)).until(() -> running(vertx, host) == 1);

    Future<Void> drained = host.drain();
    gate.next(Envelope.Draining.class);
    gate.send(Envelope.DrainingAck.INSTANCE);

    ServiceReply reply = gate.reply(slow);
    assertThat(reply.code()).isZero();
    assertThat(value(reply, Slept.class)).isEqualTo(new Slept(400));
    join(drained);
    gate.awaitClosed();
  }

  @Test
  void aCallSentBeforeTheAcknowledgementRuns(Vertx vertx) {
    ServiceHost host = deploy(vertx, options());
    FakeGate gate = FakeGate.connect(vertx, host.actualPort());

    Future<Void> drained = host.drain();
    gate.next(Envelope.Draining.class);
    // The gate had chosen this instance before it read the notice.
    ServiceReply early = gate.call("Record", new Id("drain-early"));
    gate.send(Envelope.DrainingAck.INSTANCE);

    assertThat(early.code()).isZero();
    assertThat(TestService.RECORDED).contains("drain-early");
    join(drained);
  }

  @Test
  void aCallAfterTheAcknowledgementIsHandedBackUnrunWithCode14(Vertx vertx) throws Exception {
    ServiceHost host = deploy(vertx, options());
    FakeGate gate = FakeGate.connect(vertx, host.actualPort());
    // A call in flight keeps the drain, and the link, going while the late call arrives.
    long slow = gate.send("Slow", new Slow(500), Envelope.ABSENT, null);
    await().atMost(Duration.ofSeconds(2)).until(() -> running(vertx, host) == 1);
    Future<Void> drained = host.drain();
    gate.next(Envelope.Draining.class);
    gate.send(Envelope.DrainingAck.INSTANCE);

    long late = gate.send("Record", new Id("drain-late"), 5_000, null);
    ServiceReply refused = gate.reply(late);

    assertThat(refused.code()).isEqualTo(Code.UNAVAILABLE.value());
    assertThat(refused.error()).isEqualTo("instance " + host.instanceId() + " is draining");
    assertThat(refused.reply()).isNull();
    assertThat(ByteBufUtil.getBytes(refused.refused()))
        .as("the call handed back as sent").isEqualTo(ArgsCodec.encodeInnerRpc("Record", new Id("drain-late")));
    assertThat(gate.reply(slow).code()).isZero();
    join(drained);
    assertThat(TestService.RECORDED).doesNotContain("drain-late");
  }

  @Test
  void atTheDeadlineWaitingCallsAreHandedBackAndTheLinksClose(Vertx vertx) throws Exception {
    ServiceHost host = deploy(vertx, options().setDrainTimeoutMs(300)
        .setConcurrency(new ConcurrencyOptions(1, 5, false, 1)));
    FakeGate gate = FakeGate.connect(vertx, host.actualPort());
    long stuck = gate.send("Slow", new Slow(10_000), Envelope.ABSENT, null);
    await().atMost(Duration.ofSeconds(2)).until(() -> running(vertx, host) == 1);
    long waiting = gate.send("Record", new Id("drain-queued"), Envelope.ABSENT, null);

    long start = System.nanoTime();
    Future<Void> drained = host.drain();
    gate.next(Envelope.Draining.class);
    gate.send(Envelope.DrainingAck.INSTANCE);

    ServiceReply handedBack = gate.reply(waiting);
    assertThat(handedBack.code()).isEqualTo(Code.UNAVAILABLE.value());
    assertThat(handedBack.refused()).isNotNull();
    join(drained);
    gate.awaitClosed();
    assertThat((System.nanoTime() - start) / 1_000_000).as("at the 300 ms deadline").isBetween(250L, 3_000L);
    assertThat(gate.received()).as("the stuck call " + stuck + " is left to the gate (a lost instance)").isEmpty();
    assertThat(TestService.RECORDED).doesNotContain("drain-queued");
  }

  @Test
  void aGateThatNeverAcknowledgesIsWaitedForUntilTheDeadlineButTheInstanceDeregistersAfterASecond(Vertx vertx) {
    ServiceHost host = deploy(vertx, options().setDrainTimeoutMs(2_500));
    FakeGate gate = FakeGate.connect(vertx, host.actualPort());
    LocalServiceRegistry registry = LocalServiceRegistry.get(vertx);

    long start = System.nanoTime();
    Future<Void> drained = host.drain();
    gate.next(Envelope.Draining.class);
    await().atMost(Duration.ofSeconds(3)).until(() -> registry.instances().isEmpty());
    long deregisteredMs = (System.nanoTime() - start) / 1_000_000;
    join(drained);
    long drainedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(deregisteredMs).isBetween(950L, 2_400L);
    assertThat(drainedMs).isBetween(2_450L, 5_000L);
    gate.awaitClosed();
  }

  @Test
  void aGateThatConnectsWhileTheInstanceDrainsIsTurnedAway(Vertx vertx) {
    ServiceHost host = deploy(vertx, options());
    FakeGate first = FakeGate.connect(vertx, host.actualPort());
    Future<Void> drained = host.drain();
    first.next(Envelope.Draining.class);

    assertThat(FakeGate.tryConnect(vertx, host.actualPort())).as("closed before any frame").isFalse();
    first.send(Envelope.DrainingAck.INSTANCE);
    join(drained);
  }

  @Test
  void aDrainingInstanceStillMakesItsOwnCallsThroughItsGatesUntilTheyAreAnswered(Vertx vertx) {
    ServiceHost host = new ServiceHost(options().setName("caller"), CallingService::new);
    join(vertx.deployVerticle(host));
    FakeGate gate = FakeGate.connect(vertx, host.actualPort());
    gate.send(new ServiceCall(1, FakeGate.innerRpc("Later", new Later(300)), 5_000, null, null, null));

    Future<Void> drained = host.drain();
    gate.next(Envelope.Draining.class);
    gate.send(Envelope.DrainingAck.INSTANCE);
    RouteRequest call = gate.next(RouteRequest.class);
    gate.answer(call, Map.of("Sum", 3));

    ServiceReply reply = gate.reply(1);
    assertThat(reply.code()).isZero();
    assertThat(value(reply, Map.class)).isEqualTo(Map.of("Sum", 3));
    join(drained);
  }

  @Test
  void callsGoOutThroughOtherGatesOnceOneSaysItIsDraining(Vertx vertx) {
    ServiceHost host = new ServiceHost(options().setName("caller"), CallingService::new);
    join(vertx.deployVerticle(host));
    FakeGate staying = FakeGate.connect(vertx, host.actualPort());
    FakeGate leaving = FakeGate.connect(vertx, host.actualPort());

    leaving.send(Envelope.Draining.INSTANCE);
    leaving.next(Envelope.DrainingAck.class);
    for (long grid = 1; grid <= 6; grid++) {
      staying.send(new ServiceCall(grid, FakeGate.innerRpc("Forward", new Forward(Map.of("A", 1), 0, null)), 5_000,
          null, null, null));
      staying.answer(staying.next(RouteRequest.class), Map.of("Sum", 1));
      assertThat(staying.reply(grid).code()).isZero();
    }
    assertThat(leaving.received()).as("nothing went out through the draining gate").isEmpty();
  }
}
