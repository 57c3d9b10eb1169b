package io.weft.gate.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.Code;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.protocol.Envelope.RouteResponse;
import io.weft.core.test.TestPeer;
import io.weft.gate.GateOptions;
import io.weft.gate.governance.FlakyService.Call;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Broadcast and multicast: every (tagged) instance answers, the gate gathers one reply. */
@ExtendWith(VertxExtension.class)
class GateBroadcastIT {

  private FlakyMesh mesh;

  @BeforeEach
  void setUp(Vertx vertx) {
    mesh = new FlakyMesh(vertx);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> gathered(RouteResponse r) {
    return ArgsCodec.decode(TestPeer.bytes(r.reply()), Map.class);
  }

  @Test
  void aBroadcastReachesEveryInstanceAndGathersEachAnswer() throws Exception {
    String a = mesh.start(false);
    String b = mesh.start(false);
    String sick = mesh.start(true);
    mesh.startGate(new GateOptions(), 3);
    TestPeer peer = mesh.peer();
    long id = mesh.send(peer, "Broken", new Call("all", 0, 0), 5000, null, true, null);
    RouteResponse r = peer.next(RouteResponse.class);
    assertThat(r.rid()).isEqualTo(id);
    assertThat(r.code()).isZero();
    Map<String, Map<String, Object>> answers = gathered(r);
    assertThat(answers).containsOnlyKeys(a, b, sick);
    assertThat(answers.get(a).get("Code")).isEqualTo(0);
    assertThat(answers.get(sick).get("Code")).isEqualTo(Code.INTERNAL.value());
    assertThat((String) answers.get(sick).get("Error")).contains("sick");
    assertThat(ArgsCodec.decode((byte[]) answers.get(b).get("Reply"), Map.class).get("Instance")).isEqualTo(b);
    assertThat(FlakyService.executions("all")).isEqualTo(3);
  }

  @Test
  void theJavaClientGathersABroadcastByInstance() throws Exception {
    String a = mesh.start(false);
    String sick = mesh.start(true);
    mesh.startGate(new GateOptions(), 2);
    io.weft.core.client.MeshClient client = io.weft.core.client.MeshClient.connect(mesh.vertx,
        new io.weft.core.client.MeshClientOptions().setPort(mesh.gate.actualPort())).await(5, java.util.concurrent.TimeUnit.SECONDS);
    Map<String, io.weft.core.client.BroadcastReply<FlakyService.Done>> replies = client.broadcast("test", "flaky",
        "Broken", new Call("sdk", 0, 0), FlakyService.Done.class, io.weft.core.client.CallOptions.DEFAULT)
        .await(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(replies).containsOnlyKeys(a, sick);
    assertThat(replies.get(a).ok()).isTrue();
    assertThat(replies.get(a).value().instance()).isEqualTo(a);
    assertThat(replies.get(sick).code()).isEqualTo(Code.INTERNAL);
    assertThat(replies.get(sick).value()).isNull();
  }

  @Test
  void aMulticastReachesOnlyTheTaggedInstances() throws Exception {
    String vip = mesh.start(false, Map.of("tier", "vip"));
    mesh.start(false, Map.of("tier", "free"));
    String vip2 = mesh.start(false, Map.of("tier", "vip"));
    mesh.startGate(new GateOptions(), 3);
    TestPeer peer = mesh.peer();
    mesh.send(peer, "Count", new Call("vip", 0, 0), 5000, null, true, Map.of("tier", "vip"));
    assertThat(gathered(peer.next(RouteResponse.class))).containsOnlyKeys(vip, vip2);
  }

  @Test
  void anInstanceThatDoesNotAnswerInTimeIsReportedAsDeadlineExceeded() throws Exception {
    String quick = mesh.start(false);
    String slow = mesh.start(true);
    mesh.startGate(new GateOptions(), 2);
    TestPeer peer = mesh.peer();
    mesh.send(peer, "Count", new Call("slow", 5000, 0), 300, null, true, null);
    Map<String, Map<String, Object>> answers = gathered(peer.next(RouteResponse.class));
    assertThat(answers.get(quick).get("Code")).isEqualTo(0);
    assertThat(answers.get(slow).get("Code")).isEqualTo(Code.DEADLINE_EXCEEDED.value());
  }

  @Test
  void aBroadcastWithNoInstanceIsUnavailable() throws Exception {
    mesh.start(false, Map.of("tier", "free"));
    mesh.startGate(new GateOptions(), 1);
    TestPeer peer = mesh.peer();
    mesh.send(peer, "Count", new Call("none", 0, 0), 5000, null, true, Map.of("tier", "vip"));
    assertThat(peer.next(RouteResponse.class).code()).isEqualTo(Code.UNAVAILABLE.value());
  }
}
