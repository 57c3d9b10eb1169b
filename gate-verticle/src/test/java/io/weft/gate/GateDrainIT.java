package io.weft.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.client.CallOptions;
import io.weft.core.client.GateDraining;
import io.weft.core.client.MeshClient;
import io.weft.core.client.MeshClientOptions;
import io.weft.core.conn.CloseReason;
import io.weft.core.discovery.GateInstance;
import io.weft.core.discovery.LocalServiceRegistry;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.MethodAccess;
import io.weft.core.protocol.MessageType;
import io.weft.examples.echo.EchoService;
import io.weft.service.ServiceHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Draining seen from the gate (PROTOCOL.md section 15): an instance that drains stops getting
 * calls while those in flight are answered; a call handed back unrun goes to another instance,
 * whatever its method; a draining gate tells its clients and its services, and keeps serving its
 * clients for the grace period.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class GateDrainIT {

  private MeshFixture mesh;

  @BeforeEach
  void setUp(Vertx vertx) {
    mesh = new MeshFixture(vertx);
  }

  private ServiceHost startEcho() throws Exception {
    ServiceHost host = new ServiceHost(MeshFixture.echoOptions().setDrainTimeoutMs(5_000), EchoService::new);
    mesh.vertx.deployVerticle(host).await(10, TimeUnit.SECONDS);
    return host;
  }

  private <T> T onGate(Supplier<T> read) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    mesh.vertx.runOnContext(v -> result.complete(read.get()));
    return result.get(2, TimeUnit.SECONDS);
  }

  private static Code codeOf(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    assertThat(cause).isInstanceOf(MeshException.class);
    return ((MeshException) cause).code();
  }

  @Test
  void aDrainingInstanceGetsNoNewCallsWhileItsCallsInFlightAreAnswered() throws Exception {
    ServiceHost leaving = startEcho();
    ServiceHost staying = startEcho();
    mesh.startGate();
    mesh.awaitRoutable(2);
    MeshClient client = mesh.client();
    List<Future<Map>> sleeps = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sleeps.add(client.call("demo", "echo", "Sleep", Map.of("Ms", 500), Map.class, CallOptions.DEFAULT.withTimeoutMs(5_000)));
    }
    await().atMost(Duration.ofSeconds(2)).until(() -> leaving.running() + staying.running() == 10);
    assertThat(leaving.running()).as("round robin put calls on both").isPositive();

    Future<Void> drained = leaving.drain();
    await().atMost(Duration.ofSeconds(2)).until(() -> mesh.routable().equals(List.of(staying.instanceId())));
    List<Future<Map>> during = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      // Seq is not idempotent: never sent twice, so each must reach a serving instance the first time.
      during.add(client.call("demo", "echo", "Seq", Map.of("Key", "k" + i, "N", 1), Map.class));
      during.add(client.call("demo", "echo", "Whoami", Map.of(), Map.class));
    }

    for (Future<Map> sleep : sleeps) {
      assertThat(sleep.await(5, TimeUnit.SECONDS)).isEqualTo(Map.of("Slept", 500));
    }
    for (Future<Map> call : during) {
      Map<?, ?> reply = call.await(5, TimeUnit.SECONDS);
      if (reply.containsKey("Instance")) {
        assertThat(reply.get("Instance")).isEqualTo(staying.instanceId());
      }
    }
    drained.await(5, TimeUnit.SECONDS);
    assertThat(LocalServiceRegistry.get(mesh.vertx).instances()).extracting(i -> i.id())
        .containsExactly(staying.instanceId());
    assertThat(onGate(mesh.gate::redirectedCount)).as("nothing came back").isZero();
  }

  @Test
  void aCallHandedBackUnrunGoesToAnotherInstanceEvenIfItIsNotIdempotent() throws Exception {
    ServiceHost serving = startEcho();
    try (FakeInstance refusing = FakeInstance.start(mesh.vertx, "demo", "echo",
        Map.of("Seq", new MethodAccess(true, false, false)), FakeInstance.Mode.REFUSE)) {
      mesh.startGate();
      mesh.awaitRoutable(2);
      MeshClient client = mesh.client();

      List<Future<Map>> calls = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        calls.add(client.call("demo", "echo", "Seq", Map.of("Key", "redirect-" + i, "N", 7), Map.class));
      }

      for (Future<Map> call : calls) {
        assertThat(call.await(5, TimeUnit.SECONDS)).containsEntry("N", 7);
      }
      assertThat(refusing.calls()).as("round robin sent it some").isPositive();
      assertThat(onGate(mesh.gate::redirectedCount)).isEqualTo(refusing.calls());
      assertThat(mesh.routable()).as("a refusal says the instance is draining").containsExactly(serving.instanceId());
    }
  }

  @Test
  void aHandedBackCallThatIsNotTheCallSentIsAnsweredAsItCame() throws Exception {
    try (FakeInstance confused = FakeInstance.start(mesh.vertx, "demo", "echo",
        Map.of("Seq", new MethodAccess(true, false, false)), FakeInstance.Mode.REFUSE_ANOTHER_CALL)) {
      startEcho();
      mesh.startGate();
      mesh.awaitRoutable(2);
      MeshClient client = mesh.client();

      List<Throwable> failures = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        client.call("demo", "echo", "Seq", Map.of("Key", "other-" + i, "N", 1), Map.class)
            .otherwise(t -> {
              failures.add(t);
              return null;
            }).await(5, TimeUnit.SECONDS);
      }

      assertThat(confused.calls()).isPositive();
      assertThat(failures).hasSize(confused.calls()).allSatisfy(t -> {
        assertThat(codeOf(t)).isEqualTo(Code.UNAVAILABLE);
        assertThat(t).hasMessageContaining("is draining");
      });
      assertThat(onGate(mesh.gate::redirectedCount)).isZero();
    }
  }

  @Test
  void anInstanceThatSaysItIsDrainingIsAcknowledgedAndLeftOut() throws Exception {
    ServiceHost serving = startEcho();
    try (FakeInstance fake = FakeInstance.start(mesh.vertx, "demo", "echo",
        Map.of("Seq", new MethodAccess(true, false, false)), FakeInstance.Mode.REFUSE)) {
      mesh.startGate();
      mesh.awaitRoutable(2);

      fake.sendToGates(Envelope.Draining.INSTANCE);

      await().atMost(Duration.ofSeconds(2)).until(() -> fake.received().contains(MessageType.DRAINING_ACK));
      assertThat(mesh.routable()).containsExactly(serving.instanceId());
      MeshClient client = mesh.client();
      for (int i = 0; i < 6; i++) {
        client.call("demo", "echo", "Seq", Map.of("Key", "left-out-" + i, "N", 1), Map.class).await(5, TimeUnit.SECONDS);
      }
      assertThat(fake.calls()).isZero();
    }
  }

  @Test
  void aDrainingGateTellsItsClientsAndServicesAndServesItsClientsUntilTheyLeave() throws Exception {
    startEcho();
    try (FakeInstance service = FakeInstance.start(mesh.vertx, "demo", "other", Map.of(), FakeInstance.Mode.REFUSE)) {
      GateVerticle gate = mesh.startGate(new GateOptions().setTickMs(5).setDrainGraceMs(10_000));
      await().atMost(Duration.ofSeconds(5)).until(() -> onGate(() -> gate.routableInstances("demo", "other")).size() == 1);
      mesh.awaitRoutable(1);
      MeshClient client = mesh.client();
      CompletableFuture<GateDraining> notice = new CompletableFuture<>();
      client.onDraining(notice::complete);
      LocalServiceRegistry registry = LocalServiceRegistry.get(mesh.vertx);
      assertThat(registry.gates().await()).extracting(GateInstance::id).containsExactly(gate.gateId());

      long start = System.nanoTime();
      Future<Void> drained = gate.drain();

      GateDraining draining = notice.get(5, TimeUnit.SECONDS);
      assertThat(draining.gate()).isEqualTo(gate.gateId());
      assertThat(draining.graceMs()).isBetween(8_000L, 10_000L);
      assertThat(gate.isDraining()).isTrue();
      await().atMost(Duration.ofSeconds(2)).until(() -> service.received().contains(MessageType.DRAINING));
      assertThat(registry.gates().await()).as("deregistered").isEmpty();
      assertThatThrownBy(() -> mesh.client()).as("no new connection").satisfies(t -> assertThat(codeOf(t)).isEqualTo(Code.UNAVAILABLE));
      assertThat(client.call("demo", "echo", "Echo", Map.of("Text", "still"), Map.class).await(5, TimeUnit.SECONDS))
          .as("still served").isEqualTo(Map.of("Text", "still"));

      client.close().await(5, TimeUnit.SECONDS);
      drained.await(5, TimeUnit.SECONDS);
      assertThat((System.nanoTime() - start) / 1_000_000).as("done once its client left").isLessThan(5_000);
    }
  }

  @Test
  void clientsThatStayAreClosedAtTheEndOfTheGrace() throws Exception {
    startEcho();
    GateVerticle gate = mesh.startGate(new GateOptions().setTickMs(5).setDrainGraceMs(400));
    mesh.awaitRoutable(1);
    MeshClient client = mesh.client();
    CompletableFuture<GateDraining> notice = new CompletableFuture<>();
    CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    client.onDraining(notice::complete).closeHandler(closed::complete);
    // The client's connect completes on its side; the gate takes the connection on its own loop.
    await().atMost(Duration.ofSeconds(5)).until(() -> gate.securityCounters().getOrDefault("connections.open", 0L) == 1L);

    long start = System.nanoTime();
    gate.drain().await(5, TimeUnit.SECONDS);

    assertThat((System.nanoTime() - start) / 1_000_000).isBetween(350L, 3_000L);
    assertThat(notice.get(1, TimeUnit.SECONDS).graceMs()).isBetween(0L, 400L);
    assertThat(closed.get(2, TimeUnit.SECONDS)).isEqualTo(CloseReason.PEER);
  }

  @Test
  void withNoGraceClientsAreToldAndClosedAtOnce() throws Exception {
    startEcho();
    GateVerticle gate = mesh.startGate(new GateOptions().setTickMs(5).setDrainGraceMs(0));
    mesh.awaitRoutable(1);
    MeshClient client = mesh.client();
    CompletableFuture<GateDraining> notice = new CompletableFuture<>();
    CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    client.onDraining(notice::complete).closeHandler(closed::complete);

    gate.drain().await(5, TimeUnit.SECONDS);

    assertThat(notice.get(2, TimeUnit.SECONDS)).isEqualTo(new GateDraining(0, gate.gateId()));
    assertThat(closed.get(2, TimeUnit.SECONDS)).isEqualTo(CloseReason.PEER);
  }
}
