package io.weft.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.client.CallOptions;
import io.weft.core.client.MeshClient;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.protocol.Envelope.RouteRequest;
import io.weft.core.protocol.Envelope.RouteResponse;
import io.weft.core.test.TestPeer;
import io.weft.examples.relay.RelayService;
import io.weft.examples.relay.RelayService.Text;
import io.weft.gate.S2sProbeService.Forward;
import io.weft.gate.S2sProbeService.Seen;
import io.weft.gate.S2sProbeService.Where;
import io.weft.service.MeshService;
import io.weft.service.ServiceHost;
import io.weft.service.ServiceOptions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Services calling services through the gate, over real sockets: a client calls {@code demo/relay}
 * (or a probe), which calls {@code demo/echo} on the gate link it was called on.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class ServiceToServiceIT {

  private MeshFixture mesh;

  @BeforeEach
  void setUp(Vertx vertx) {
    mesh = new MeshFixture(vertx);
  }

  private ServiceHost start(String name, ThreadingModel threading, Supplier<? extends MeshService> service)
      throws Exception {
    ServiceHost host = new ServiceHost(new ServiceOptions().setNamespace("demo").setName(name).setHost("127.0.0.1")
        .setThreading(threading), service);
    mesh.vertx.deployVerticle(host).await(10, TimeUnit.SECONDS);
    return host;
  }

  private ServiceHost startProbe() throws Exception {
    return start("probe", ThreadingModel.EVENT_LOOP, S2sProbeService::new);
  }

  /** Waits until {@code gate} routes to one instance of each of {@code services}. */
  private void awaitRoutable(GateVerticle gate, String... services) {
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      CompletableFuture<Boolean> all = new CompletableFuture<>();
      mesh.vertx.runOnContext(v -> all.complete(
          java.util.Arrays.stream(services).allMatch(s -> gate.routableInstances("demo", s).size() == 1)));
      return all.get(1, TimeUnit.SECONDS);
    });
  }

  private long lateReplies() throws Exception {
    CompletableFuture<Long> late = new CompletableFuture<>();
    mesh.vertx.runOnContext(v -> late.complete(mesh.gate.lateReplies()));
    return late.get(1, TimeUnit.SECONDS);
  }

  private static MeshException failure(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    assertThat(cause).isInstanceOf(MeshException.class);
    return (MeshException) cause;
  }

  @Test
  void relayAndRelayAsyncAnswerWithEchosReply() throws Exception {
    mesh.startEcho();
    start("relay", ThreadingModel.VIRTUAL_THREAD, RelayService::new);
    mesh.startGate();
    awaitRoutable(mesh.gate, "echo", "relay");
    MeshClient client = mesh.client();

    assertThat(client.call("demo", "relay", "Relay", new Text("sync"), Text.class).await(5, TimeUnit.SECONDS))
        .isEqualTo(new Text("sync"));
    assertThat(client.call("demo", "relay", "RelayAsync", new Text("async"), Text.class).await(5, TimeUnit.SECONDS))
        .isEqualTo(new Text("async"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theCalleeSeesTheCallersTraceAndNoMoreBudgetThanTheCallerHadLeft() throws Exception {
    mesh.startEcho();
    ServiceHost probe = startProbe();
    mesh.startGate();
    awaitRoutable(mesh.gate, "echo", "probe");
    MeshClient client = mesh.client();

    // A valid traceparent: the gate keeps it (it replaces a malformed one, PROTOCOL.md section 16).
    String trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    Seen seen = client.call("demo", "probe", "Context", Map.of(), Seen.class,
        CallOptions.DEFAULT.withTimeoutMs(3_000).withTrace(trace)).await(5, TimeUnit.SECONDS);

    assertThat(seen.trace()).isEqualTo(trace);
    assertThat(seen.remainingMs()).isBetween(1L, 3_000L);
    assertThat(seen.callee().get("Trace")).isEqualTo(trace);
    assertThat(((Number) seen.callee().get("RemainingMs")).longValue()).isBetween(1L, seen.remainingMs());
    Map<String, Object> caller = (Map<String, Object>) seen.callee().get("Caller");
    assertThat(caller.get("Client")).isEqualTo("demo/probe@" + probe.instanceId());
    assertThat(caller.get("Gate")).isEqualTo(mesh.gate.gateId());
    assertThat(caller.get("ConnId")).isNull();
  }

  @Test
  void aRelayedCallWhoseBudgetRunsOutWhileEchoSleepsIsAnswered4AtTheClientsDeadline() throws Exception {
    mesh.startEcho();
    startProbe();
    mesh.startGate();
    awaitRoutable(mesh.gate, "echo", "probe");
    TestPeer client = TestPeer.connect(mesh.vertx, mesh.gate.actualPort());
    byte[] innerRpc = ArgsCodec.encodeInnerRpc("Forward", new Forward("echo", "Sleep", Map.of("Ms", 600)));

    long start = System.nanoTime();
    client.send(new RouteRequest(11, "demo", "probe", Unpooled.wrappedBuffer(innerRpc), 150, null, null, null, null));
    RouteResponse answer = client.next(RouteResponse.class);

    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(answer.rid()).isEqualTo(11);
    assertThat(answer.code()).isEqualTo(Code.DEADLINE_EXCEEDED.value());
    assertThat(tookMs).isBetween(150L, 450L);
    // The gate drops both later answers: the probe's own 4 (its call to echo ran out with the
    // client's budget) and echo's reply once it has slept.
    await().atMost(Duration.ofSeconds(3)).until(() -> lateReplies() >= 2);
    assertThat(client.received()).as("exactly one answer per Rid").isEmpty();
  }

  @Test
  void anS2sCallToAnUnknownServiceFailsTheCallerWith14() throws Exception {
    startProbe();
    mesh.startGate();
    awaitRoutable(mesh.gate, "probe");
    MeshClient client = mesh.client();

    assertThatThrownBy(() -> client.call("demo", "probe", "Forward", new Forward("nosuch", "Thing", Map.of()), Map.class)
        .await(5, TimeUnit.SECONDS))
        .satisfies(t -> assertThat(failure(t).code()).isEqualTo(Code.UNAVAILABLE))
        .hasMessageContaining("demo/nosuch");
  }

  @Test
  void anEventLoopVerticleContinuesOnItsOwnContextAndThread() throws Exception {
    mesh.startEcho();
    startProbe();
    mesh.startGate();
    awaitRoutable(mesh.gate, "echo", "probe");
    MeshClient client = mesh.client();

    Where where = client.call("demo", "probe", "Where", Map.of(), Where.class).await(5, TimeUnit.SECONDS);

    assertThat(where).isEqualTo(new Where(true, true, true));
  }

  @Test
  void s2sCallsAreSpreadOverTheLinksOfEveryGateThatDialledTheCaller() throws Exception {
    mesh.startEcho();
    startProbe();
    GateVerticle second = mesh.startGate();
    GateVerticle first = mesh.startGate();
    awaitRoutable(second, "echo", "probe");
    awaitRoutable(first, "echo", "probe");
    MeshClient client = mesh.client();

    Set<Object> gatesSeenByEcho = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      Seen seen = client.call("demo", "probe", "Context", Map.of(), Seen.class).await(5, TimeUnit.SECONDS);
      gatesSeenByEcho.add(((Map<?, ?>) seen.callee().get("Caller")).get("Gate"));
    }

    assertThat(gatesSeenByEcho).containsExactlyInAnyOrder(first.gateId(), second.gateId());
  }
}
