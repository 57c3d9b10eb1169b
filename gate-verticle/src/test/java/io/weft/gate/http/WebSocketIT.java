package io.weft.gate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.client.MeshClient;
import io.weft.core.client.MeshClientOptions;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.AuthRequest;
import io.weft.core.protocol.Envelope.AuthResponse;
import io.weft.core.protocol.Envelope.ClientPush;
import io.weft.core.protocol.Envelope.LoginRequest;
import io.weft.core.protocol.Envelope.PushReply;
import io.weft.core.protocol.Envelope.RouteRequest;
import io.weft.core.protocol.Envelope.RouteResponse;
import io.weft.gate.GateOptions;
import io.weft.gate.impl.GateShared;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** WebSocket clients of a gate: full client sessions, with the auth and limits of TCP ones. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSocketIT {

  private static RouteRequest route(long rid, String service, String method, Object args) {
    return new RouteRequest(rid, "demo", service, Unpooled.wrappedBuffer(ArgsCodec.encodeInnerRpc(method, args)),
        Envelope.ABSENT, null, null, null, null);
  }

  private static Map<String, Object> reply(RouteResponse response) {
    ByteBuf reply = response.reply();
    byte[] bytes = new byte[reply.readableBytes()];
    reply.getBytes(reply.readerIndex(), bytes);
    @SuppressWarnings("unchecked") Map<String, Object> map = ArgsCodec.decode(bytes, Map.class);
    return map;
  }

  private static WsClient authenticated(WebMesh mesh, String subject) throws Exception {
    WsClient ws = mesh.ws();
    ws.send(new AuthRequest(1, WebMesh.token(subject), null));
    assertThat(ws.read()).isInstanceOfSatisfying(AuthResponse.class, a -> assertThat(a.code()).isZero());
    return ws;
  }

  @Test
  void anAuthenticatedWebSocketClientCallsPublicMethodsOnly(Vertx vertx) throws Exception {
    WebMesh mesh = new WebMesh(vertx).echo();
    mesh.gate(WebMesh.external());
    mesh.awaitRoutable("demo", "echo");
    WsClient ws = authenticated(mesh, "alice");

    ws.send(route(7, "echo", "Echo", Map.of("Text", "hi")));
    assertThat(ws.read()).isInstanceOfSatisfying(RouteResponse.class, r -> {
      assertThat(r.rid()).isEqualTo(7);
      assertThat(r.code()).isZero();
      assertThat(reply(r)).containsEntry("Text", "hi");
    });
    ws.send(route(8, "echo", "Sleep", Map.of("Ms", 1)));
    assertThat(ws.read()).isInstanceOfSatisfying(RouteResponse.class, r -> {
      assertThat(r.code()).isEqualTo(7);
      assertThat(r.error()).contains("not public");
    });
    // Answers come in any order, each under its Rid; many calls share one socket.
    for (int i = 100; i < 150; i++) {
      ws.send(route(i, "echo", "Echo", Map.of("N", i)));
    }
    java.util.Set<Long> rids = new java.util.HashSet<>();
    for (int i = 0; i < 50; i++) {
      RouteResponse r = (RouteResponse) ws.read();
      assertThat(reply(r).get("N")).isEqualTo((int) r.rid());
      rids.add(r.rid());
    }
    assertThat(rids).hasSize(50);
    ws.close();
  }

  @Test
  void onceAuthenticatedAWebSocketCarriesFramesUpToTheClientLimit(Vertx vertx) throws Exception {
    WebMesh mesh = new WebMesh(vertx).echo();
    mesh.gate(WebMesh.external());
    mesh.awaitRoutable("demo", "echo");
    WsClient ws = authenticated(mesh, "alice");
    // 100 KB: past the 16 KiB allowed before auth, within the 1 MiB after it; sent in two fragments.
    String big = "y".repeat(100_000);
    ws.sendFragmented(route(9, "echo", "Echo", Map.of("Text", big)));
    assertThat(ws.read()).isInstanceOfSatisfying(RouteResponse.class, r -> {
      assertThat(r.code()).isZero();
      assertThat(reply(r)).containsEntry("Text", big);
    });
    ws.close();
  }

  @Test
  void anythingButAuthFirstClosesTheWebSocket(Vertx vertx) throws Exception {
    WebMesh mesh = new WebMesh(vertx).echo();
    mesh.gate(WebMesh.external());
    WsClient ws = mesh.ws();
    ws.send(route(1, "echo", "Echo", Map.of()));
    await().atMost(Duration.ofSeconds(5)).until(() -> ws.closed);
    assertThat(ws.received).isEmpty();
    assertThat(mesh.counter(GateShared.AUTH_OUT_OF_ORDER)).isEqualTo(1);
  }

  @Test
  void aWebSocketThatDoesNotAuthenticateInTimeIsClosed(Vertx vertx) throws Exception {
    WebMesh mesh = new WebMesh(vertx);
    mesh.gate(WebMesh.external().setAuthTimeoutMs(300));
    WsClient ws = mesh.ws();
    await().atMost(Duration.ofSeconds(5)).until(() -> ws.closed);
    assertThat(mesh.counter(GateShared.AUTH_TIMEOUT)).isEqualTo(1);
  }

  @Test
  void aBadTokenIsAnsweredThenClosed(Vertx vertx) throws Exception {
    WebMesh mesh = new WebMesh(vertx);
    mesh.gate(WebMesh.external());
    WsClient ws = mesh.ws();
    ws.send(new AuthRequest(1, "v1.test.bogus.bogus", null));
    assertThat(ws.read()).isInstanceOfSatisfying(AuthResponse.class, a -> assertThat(a.code()).isEqualTo(16));
    await().atMost(Duration.ofSeconds(5)).until(() -> ws.closed);
  }

  @Test
  void textEmptyOrGarbledMessagesCloseTheWebSocketWithAProtocolError(Vertx vertx) throws Exception {
    WebMesh mesh = new WebMesh(vertx);
    mesh.gate(WebMesh.internal());
    WsClient text = mesh.ws();
    text.socket.writeTextMessage("[\"MSG_HEART_BEAT_REQ\",{}]");
    await().atMost(Duration.ofSeconds(5)).until(() -> text.closed);
    assertThat(text.closeStatus).isEqualTo((short) 1002);

    WsClient empty = mesh.ws();
    empty.sendRaw(new byte[0]);
    await().atMost(Duration.ofSeconds(5)).until(() -> empty.closed);
    assertThat(empty.closeStatus).isEqualTo((short) 1002);

    WsClient garbled = mesh.ws();
    garbled.sendRaw(new byte[] {(byte) 0xc1, 1, 2, 3});
    await().atMost(Duration.ofSeconds(5)).until(() -> garbled.closed);
    assertThat(garbled.closeStatus).isEqualTo((short) 1002);

    WsClient fine = mesh.ws();
    fine.send(Envelope.HeartbeatRequest.INSTANCE);
    assertThat(fine.read()).isInstanceOf(Envelope.HeartbeatResponse.class);
  }

  @Test
  void beforeAuthOnlySmallMessagesAreRead(Vertx vertx) throws Exception {
    WebMesh mesh = new WebMesh(vertx);
    mesh.gate(WebMesh.external());
    WsClient ws = mesh.ws();
    // A well-formed auth frame, padded past maxUnauthenticatedFrameBytes (16 KiB) with a long label.
    ws.send(new AuthRequest(1, WebMesh.token("alice"), "x".repeat(20_000)));
    await().atMost(Duration.ofSeconds(5)).until(() -> ws.closed);
    assertThat(ws.received).isEmpty();
    assertThat(ws.closeStatus).isEqualTo((short) 1002);
  }

  @Test
  void aWebSocketClientLogsInAndReceivesPushesAndAcknowledgesSafeOnes(Vertx vertx, @TempDir Path data) throws Exception {
    WebMesh mesh = new WebMesh(vertx).echo().push(data);
    mesh.gate(WebMesh.external());
    mesh.awaitRoutable("demo", "echo");
    mesh.awaitRoutable("weft", "push");
    WsClient ws = authenticated(mesh, "bob");
    ws.send(new LoginRequest(2, "bob"));
    assertThat(ws.read()).isInstanceOfSatisfying(RouteResponse.class, r -> assertThat(r.code()).isZero());

    MeshClient tool = MeshClient.connect(vertx, new MeshClientOptions().setPort(mesh.gates.get(0).actualPort())
        .setToken(WebMesh.token("tool"))).await(5, TimeUnit.SECONDS);
    // echo.PushMe is public: any client may push to bob through it.
    tool.call("demo", "echo", "PushMe", Map.of("ClientId", "bob", "Text", "live"), Map.class).await(5, TimeUnit.SECONDS);
    assertThat(ws.read()).isInstanceOfSatisfying(ClientPush.class, p -> {
      assertThat(p.clientId()).isEqualTo("bob");
      assertThat(p.pushId()).isEmpty();
    });
    Map<?, ?> safe = tool.call("demo", "echo", "PushMe", Map.of("ClientId", "bob", "Text", "safe", "Safe", true),
        Map.class).await(5, TimeUnit.SECONDS);
    ClientPush pushed = (ClientPush) ws.read();
    assertThat(pushed.pushId()).isEqualTo(safe.get("PushId")).isNotEmpty();
    ws.send(new PushReply("bob", pushed.pushId()));
    // Acknowledged: a new login restores nothing.
    WsClient again = authenticated(mesh, "bob");
    again.send(new LoginRequest(3, "bob"));
    assertThat(again.read()).isInstanceOf(RouteResponse.class);
    // The old socket is told it was kicked (a login elsewhere wins).
    assertThat(ws.read()).isInstanceOf(ClientPush.class);
    // Nothing is restored before a push sent now: the safe push was acknowledged.
    tool.call("demo", "echo", "PushMe", Map.of("ClientId", "bob", "Text", "marker"), Map.class).await(5, TimeUnit.SECONDS);
    assertThat(again.read()).isInstanceOfSatisfying(ClientPush.class, p -> assertThat(p.pushId()).isEmpty());
    tool.close();
  }

  @Test
  void webSocketsCountAgainstTheGatesConnectionLimitsAndLeaveThem(Vertx vertx) throws Exception {
    WebMesh mesh = new WebMesh(vertx);
    mesh.gate(WebMesh.internal().setMaxConnectionsPerIp(1));
    WsClient first = mesh.ws();
    first.send(Envelope.HeartbeatRequest.INSTANCE);
    assertThat(first.read()).isInstanceOf(Envelope.HeartbeatResponse.class);
    assertThat(mesh.gates.get(0).securityCounters()).containsEntry("connections.open", 1L);
    // Another connection from the same address is over the limit now, a WebSocket or a TCP one ...
    org.assertj.core.api.Assertions.assertThatThrownBy(mesh::ws);
    io.weft.core.client.MeshClient tcp = MeshClient.connect(vertx, new MeshClientOptions()
        .setPort(mesh.gates.get(0).actualPort())).await(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> !tcp.isOpen());
    assertThat(mesh.counter(GateShared.REFUSED_PER_IP)).isEqualTo(2);
    first.close();
    await().atMost(Duration.ofSeconds(5))
        .until(() -> mesh.gates.get(0).securityCounters().get("connections.open") == 0L);
    // ... and admitted again once the WebSocket left.
    WsClient second = mesh.ws();
    second.send(Envelope.HeartbeatRequest.INSTANCE);
    assertThat(second.read()).isInstanceOf(Envelope.HeartbeatResponse.class);
  }

  @Test
  void aWebSocketFromAForeignPageIsRefused(Vertx vertx) throws Exception {
    WebMesh mesh = new WebMesh(vertx);
    mesh.gate(WebMesh.internal());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WsClient.connect(vertx, mesh.httpPort(), "http://evil.example"))
        .hasMessageContaining("403");
    WsClient own = WsClient.connect(vertx, mesh.httpPort(), "http://127.0.0.1:" + mesh.httpPort());
    own.send(Envelope.HeartbeatRequest.INSTANCE);
    assertThat(own.read()).isInstanceOf(Envelope.HeartbeatResponse.class);
  }
}
