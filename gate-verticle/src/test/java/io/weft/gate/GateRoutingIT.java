package io.weft.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.client.CallOptions;
import io.weft.core.client.MeshClient;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.RouteRequest;
import io.weft.core.protocol.Envelope.RouteResponse;
import io.weft.core.test.TestPeer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A client, a gate and two echo instances, over real sockets. */
@ExtendWith(VertxExtension.class)
class GateRoutingIT {

  record Text(String text) {
  }

  private MeshFixture mesh;

  @BeforeEach
  void setUp(Vertx vertx) {
    mesh = new MeshFixture(vertx);
  }

  private static Code codeOf(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    return ((MeshException) cause).code();
  }

  private static RouteRequest route(long rid, String service, String method, Object args, long timeoutMs) {
    return new RouteRequest(rid, "demo", service, Unpooled.wrappedBuffer(ArgsCodec.encodeInnerRpc(method, args)),
        timeoutMs, null, null, null, null);
  }

  @Test
  void callsRoundTripThroughTheGateAndSpreadOverBothInstances() throws Exception {
    mesh.startEcho();
    mesh.startEcho();
    mesh.startGate(new GateOptions().setTickMs(5).setLoadBalancer(io.weft.core.lb.LoadBalancerType.ROUND_ROBIN));
    mesh.awaitRoutable(2);
    MeshClient client = mesh.client();
    assertThat(client.call("demo", "echo", "Echo", new Text("hi"), Text.class).await(5, TimeUnit.SECONDS))
        .isEqualTo(new Text("hi"));
    Set<Object> instances = new HashSet<>();
    for (int i = 0; i < 10; i++) {
      instances.add(client.call("demo", "echo", "Whoami", Map.of(), Map.class).await(5, TimeUnit.SECONDS).get("Instance"));
    }
    assertThat(instances).hasSize(2);
  }

  @Test
  void aServiceWithNoInstanceIsUnavailable() throws Exception {
    mesh.startEcho();
    mesh.startGate();
    mesh.awaitRoutable(1);
    MeshClient client = mesh.client();
    assertThatThrownBy(() -> client.call("demo", "nothing", "Echo", Map.of(), Map.class).await(5, TimeUnit.SECONDS))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Code.UNAVAILABLE))
        .hasMessageContaining("demo/nothing");
  }

  @Test
  void aRouteMissingARequiredFieldIsAnInvalidArgument() throws Exception {
    mesh.startGate();
    TestPeer peer = TestPeer.connect(mesh.vertx, mesh.gate.actualPort());
    peer.send(new RouteRequest(1, null, "echo", Unpooled.wrappedBuffer(new byte[] {(byte) 0x90}), -1, null, null, null, null));
    peer.send(new RouteRequest(2, "demo", "", Unpooled.wrappedBuffer(new byte[] {(byte) 0x90}), -1, null, null, null, null));
    peer.send(new RouteRequest(3, "demo", "echo", null, -1, null, null, null, null));
    for (long rid = 1; rid <= 3; rid++) {
      RouteResponse r = peer.next(RouteResponse.class);
      assertThat(r.rid()).isEqualTo(rid);
      assertThat(r.code()).isEqualTo(Code.INVALID_ARGUMENT.value());
    }
    assertThat(peer.isOpen()).isTrue();
  }

  @Test
  void theBudgetEndsAtItsDeadlineNotWhenTheServiceAnswersAndTheLateReplyIsDropped() throws Exception {
    mesh.startEcho();
    mesh.startGate();
    mesh.awaitRoutable(1);
    TestPeer peer = TestPeer.connect(mesh.vertx, mesh.gate.actualPort());
    long start = System.nanoTime();
    peer.send(route(7, "echo", "Sleep", Map.of("Ms", 600), 100));
    RouteResponse r = peer.next(RouteResponse.class);
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.rid()).isEqualTo(7);
    assertThat(r.code()).isEqualTo(Code.DEADLINE_EXCEEDED.value());
    assertThat(tookMs).isBetween(100L, 450L);
    await().atMost(Duration.ofSeconds(3)).until(() -> lateReplies() == 1);
    assertThat(peer.received()).as("exactly one response per Rid").isEmpty();
  }

  private long lateReplies() throws Exception {
    java.util.concurrent.CompletableFuture<Long> late = new java.util.concurrent.CompletableFuture<>();
    mesh.vertx.runOnContext(v -> late.complete(mesh.gate.lateReplies()));
    return late.get(1, TimeUnit.SECONDS);
  }

  @Test
  void aZeroBudgetIsExceededBeforeRouting() throws Exception {
    mesh.startEcho();
    mesh.startGate();
    mesh.awaitRoutable(1);
    TestPeer peer = TestPeer.connect(mesh.vertx, mesh.gate.actualPort());
    peer.send(route(5, "echo", "Echo", Map.of(), 0));
    RouteResponse r = peer.next(RouteResponse.class);
    assertThat(r.code()).isEqualTo(Code.DEADLINE_EXCEEDED.value());
  }

  @Test
  void theServicesCodesReachTheClient() throws Exception {
    mesh.startEcho();
    mesh.startGate();
    mesh.awaitRoutable(1);
    MeshClient client = mesh.client();
    assertThatThrownBy(() -> client.call("demo", "echo", "Nope", Map.of(), Map.class).await(5, TimeUnit.SECONDS))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Code.UNIMPLEMENTED));
    assertThatThrownBy(() -> client.call("demo", "echo", "Fail", Map.of("Message", "boom"), Map.class).await(5, TimeUnit.SECONDS))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Code.INTERNAL))
        .hasMessageContaining("boom");
    assertThatThrownBy(() -> client.call("demo", "echo", "Sleep", Map.of("Ms", "long"), Map.class).await(5, TimeUnit.SECONDS))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Code.INVALID_ARGUMENT));
  }

  @Test
  void aOneWayCallRunsAndIsNeverAnswered() throws Exception {
    mesh.startEcho();
    mesh.startGate();
    mesh.awaitRoutable(1);
    TestPeer peer = TestPeer.connect(mesh.vertx, mesh.gate.actualPort());
    peer.send(route(0, "echo", "Seq", Map.of("Key", "one-way", "N", 5), 5000));
    peer.send(route(9, "echo", "Seq", Map.of("Key", "one-way", "N", 6), 5000));
    RouteResponse r = peer.next(RouteResponse.class);
    assertThat(r.rid()).isEqualTo(9);
    Map<?, ?> reply = ArgsCodec.decode(TestPeer.bytes(r.reply()), Map.class);
    assertThat(reply.get("Prev")).as("the one-way call ran first").isEqualTo(5);
    assertThat(peer.received()).isEmpty();
  }

  @Test
  void losingAnInstanceAnswersItsCallsInFlightAtOnce() throws Exception {
    String echo = mesh.startEcho();
    mesh.startGate();
    mesh.awaitRoutable(1);
    MeshClient client = mesh.client();
    var call = client.call("demo", "echo", "Sleep", Map.of("Ms", 10_000), Map.class, CallOptions.DEFAULT.withTimeoutMs(20_000));
    await().atMost(Duration.ofSeconds(2)).until(() -> inFlight() == 1);
    long start = System.nanoTime();
    mesh.vertx.undeploy(echo).await(5, TimeUnit.SECONDS);
    assertThatThrownBy(() -> call.await(5, TimeUnit.SECONDS))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Code.UNAVAILABLE));
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3000);
    assertThatThrownBy(() -> client.call("demo", "echo", "Echo", Map.of(), Map.class).await(5, TimeUnit.SECONDS))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Code.UNAVAILABLE));
  }

  private int inFlight() throws Exception {
    java.util.concurrent.CompletableFuture<Integer> n = new java.util.concurrent.CompletableFuture<>();
    mesh.vertx.runOnContext(v -> n.complete(mesh.gate.inFlight()));
    return n.get(1, TimeUnit.SECONDS);
  }

  @Test
  void anInstanceStartedAfterTheGateIsFoundAndUsed() throws Exception {
    mesh.startGate();
    MeshClient client = mesh.client();
    assertThatThrownBy(() -> client.call("demo", "echo", "Echo", Map.of(), Map.class).await(5, TimeUnit.SECONDS))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Code.UNAVAILABLE));
    mesh.startEcho();
    await().atMost(Duration.ofSeconds(2)).ignoreExceptions()
        .until(() -> client.call("demo", "echo", "Echo", new Text("late"), Text.class).await(1, TimeUnit.SECONDS)
            .equals(new Text("late")));
  }

  @Test
  void anUnknownMessageIsAnsweredWithErrorTwelveAndTheConnectionStays() throws Exception {
    mesh.startEcho();
    mesh.startGate();
    mesh.awaitRoutable(1);
    TestPeer peer = TestPeer.connect(mesh.vertx, mesh.gate.actualPort());
    peer.sendRaw(TestPeer.frame(new byte[] {(byte) 0x92, (byte) 0xa6, 'M', 'S', 'G', '_', 'Z', 'Z', (byte) 0x80}));
    Envelope.ErrorNotice notice = peer.next(Envelope.ErrorNotice.class);
    assertThat(notice.code()).isEqualTo(Code.UNIMPLEMENTED.value());
    assertThat(notice.error()).contains("MSG_ZZ");
    peer.send(new Envelope.ServiceReply(1, 0, null, null));
    assertThat(peer.next(Envelope.ErrorNotice.class).code()).isEqualTo(Code.UNIMPLEMENTED.value());
    peer.send(route(3, "echo", "Echo", Map.of("A", 1), 5000));
    assertThat(peer.next(RouteResponse.class).code()).isZero();
  }

  @Test
  void garbageClosesOnlyTheConnectionThatSentIt() throws Exception {
    mesh.startEcho();
    mesh.startGate();
    mesh.awaitRoutable(1);
    MeshClient good = mesh.client();
    TestPeer bad = TestPeer.connect(mesh.vertx, mesh.gate.actualPort());
    bad.sendRaw(TestPeer.frame(new byte[] {(byte) 0xc1, (byte) 0xc1}));
    bad.closed().get(5, TimeUnit.SECONDS);
    TestPeer huge = TestPeer.connect(mesh.vertx, mesh.gate.actualPort());
    huge.sendRaw(io.vertx.core.buffer.Buffer.buffer().appendInt(Integer.MAX_VALUE));
    huge.closed().get(5, TimeUnit.SECONDS);
    assertThat(good.call("demo", "echo", "Echo", new Text("still"), Text.class).await(5, TimeUnit.SECONDS))
        .isEqualTo(new Text("still"));
  }

  @Test
  void severalGateInstancesShareThePortAndAllRoute(Vertx vertx) throws Exception {
    mesh.startEcho();
    GateOptions options = new GateOptions().setHost("127.0.0.1").setPort(0);
    // a fixed port is needed for sharing: take a free one
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    options.setPort(port);
    vertx.deployVerticle(() -> new GateVerticle(options), new io.vertx.core.DeploymentOptions().setInstances(2))
        .await(10, TimeUnit.SECONDS);
    for (int i = 0; i < 6; i++) {
      MeshClient client = MeshClient.connect(vertx, new io.weft.core.client.MeshClientOptions().setPort(port))
          .await(5, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() ->
          client.call("demo", "echo", "Echo", new Text("x"), Text.class).await(1, TimeUnit.SECONDS).equals(new Text("x")));
      client.close();
    }
  }
}
