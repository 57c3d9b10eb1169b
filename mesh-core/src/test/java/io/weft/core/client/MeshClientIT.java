package io.weft.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.RouteRequest;
import io.weft.core.protocol.Envelope.RouteResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class MeshClientIT {

  record Text(String text) {
  }

  private static MeshClient connect(Vertx vertx, FakeGate gate, MeshClientOptions options) throws Exception {
    return MeshClient.connect(vertx, options.setPort(gate.port())).await(5, TimeUnit.SECONDS);
  }

  private static Code codeOf(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    return ((MeshException) cause).code();
  }

  @Test
  void aCallCarriesItsRouteFieldsAndDecodesTheReply(Vertx vertx) throws Exception {
    FakeGate gate = new FakeGate(vertx);
    gate.script((conn, e) -> {
      RouteRequest r = (RouteRequest) e;
      conn.send(new RouteResponse(r.rid(), 0, null, Unpooled.wrappedBuffer(ArgsCodec.encode(new Text("pong")))));
    });
    MeshClient client = connect(vertx, gate, new MeshClientOptions());
    CallOptions options = CallOptions.DEFAULT.withTimeoutMs(1234).withOrderKey("o").withHashKey("h")
        .withTags(Map.of("zone", "a")).withTrace("00-trace");
    Text reply = client.call("demo", "echo", "Echo", new Text("ping"), Text.class, options).await(5, TimeUnit.SECONDS);
    assertThat(reply).isEqualTo(new Text("pong"));

    RouteRequest sent = (RouteRequest) gate.next();
    assertThat(sent.rid()).isNotZero();
    assertThat(sent.namespace()).isEqualTo("demo");
    assertThat(sent.serviceName()).isEqualTo("echo");
    assertThat(sent.timeoutMs()).isEqualTo(1234);
    assertThat(sent.orderKey()).isEqualTo("o");
    assertThat(sent.hashKey()).isEqualTo("h");
    assertThat(sent.tags()).isEqualTo(Map.of("zone", "a"));
    assertThat(sent.trace()).isEqualTo("00-trace");
    byte[] inner = new byte[sent.innerRpc().readableBytes()];
    sent.innerRpc().getBytes(0, inner);
    var rpc = ArgsCodec.decodeInnerRpc(inner);
    assertThat(rpc.method()).isEqualTo("Echo");
    assertThat(ArgsCodec.decode(inner, rpc.argsOffset(), rpc.argsLength(), Text.class)).isEqualTo(new Text("ping"));
  }

  @Test
  void manyCallsInFlightAreMatchedByRidWhateverTheOrderOfAnswers(Vertx vertx) throws Exception {
    FakeGate gate = new FakeGate(vertx);
    List<RouteRequest> held = new ArrayList<>();
    gate.script((conn, e) -> {
      RouteRequest r = (RouteRequest) e;
      held.add(new RouteRequest(r.rid(), null, null, null, -1, null, null, null, null));
      byte[] inner = new byte[r.innerRpc().readableBytes()];
      r.innerRpc().getBytes(r.innerRpc().readerIndex(), inner);
      var rpc = ArgsCodec.decodeInnerRpc(inner);
      Text t = ArgsCodec.decode(inner, rpc.argsOffset(), rpc.argsLength(), Text.class);
      if (held.size() == 100) {
        // answer all, last first
        for (int i = held.size() - 1; i >= 0; i--) {
          conn.send(new RouteResponse(held.get(i).rid(), 0, null, null));
        }
      }
      held.set(held.size() - 1, new RouteRequest(r.rid(), t.text(), null, null, -1, null, null, null, null));
    });
    MeshClient client = connect(vertx, gate, new MeshClientOptions());
    List<Future<byte[]>> calls = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      calls.add(client.callRaw("demo", "echo", ArgsCodec.encodeInnerRpc("Echo", new Text("n" + i)), CallOptions.DEFAULT));
    }
    Future.all(calls).await(5, TimeUnit.SECONDS);
    assertThat(held).extracting(RouteRequest::rid).doesNotHaveDuplicates().doesNotContain(0L);
    assertThat(client.inFlight()).isZero();
  }

  @Test
  void aCallWithNoAnswerFailsWithDeadlineExceededAndTheLateAnswerIsDroppedAndCounted(Vertx vertx) throws Exception {
    FakeGate gate = new FakeGate(vertx);
    MeshClient client = connect(vertx, gate, new MeshClientOptions().setTickMs(5));
    long start = System.nanoTime();
    Future<Text> call = client.call("demo", "echo", "Echo", new Text("x"), Text.class, CallOptions.DEFAULT.withTimeoutMs(100));
    assertThatThrownBy(() -> call.await(5, TimeUnit.SECONDS)).satisfies(t -> assertThat(codeOf(t)).isEqualTo(Code.DEADLINE_EXCEEDED));
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(100);
    RouteRequest sent = (RouteRequest) gate.next();
    gate.connection.get().send(new RouteResponse(sent.rid(), 0, null, null));
    await().atMost(Duration.ofSeconds(2)).until(() -> client.lateAnswers() == 1);
  }

  @Test
  void theGatesErrorCodeAndMessageReachTheCaller(Vertx vertx) throws Exception {
    FakeGate gate = new FakeGate(vertx);
    gate.script((conn, e) -> conn.send(new RouteResponse(((RouteRequest) e).rid(), 14, "no instance", null)));
    MeshClient client = connect(vertx, gate, new MeshClientOptions());
    assertThatThrownBy(() -> client.call("demo", "nope", "X", Map.of(), Map.class).await(5, TimeUnit.SECONDS))
        .satisfies(t -> {
          assertThat(codeOf(t)).isEqualTo(Code.UNAVAILABLE);
          assertThat(t).hasMessageContaining("no instance");
        });
  }

  @Test
  void losingTheConnectionFailsEveryCallInFlightWithUnavailableAtOnce(Vertx vertx) throws Exception {
    FakeGate gate = new FakeGate(vertx);
    MeshClient client = connect(vertx, gate, new MeshClientOptions());
    List<Future<byte[]>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(client.callRaw("demo", "echo", ArgsCodec.encodeInnerRpc("Echo", Map.of()), CallOptions.DEFAULT.withTimeoutMs(60_000)));
    }
    for (int i = 0; i < 5; i++) {
      gate.next();
    }
    gate.connection.get().close();
    for (Future<byte[]> call : calls) {
      assertThatThrownBy(() -> call.await(2, TimeUnit.SECONDS)).satisfies(t -> assertThat(codeOf(t)).isEqualTo(Code.UNAVAILABLE));
    }
    assertThat(client.isOpen()).isFalse();
    assertThatThrownBy(() -> client.call("demo", "echo", "Echo", Map.of(), Map.class).await(2, TimeUnit.SECONDS))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Code.UNAVAILABLE));
  }

  @Test
  void aOneWayCallSendsRidZeroAndExpectsNothing(Vertx vertx) throws Exception {
    FakeGate gate = new FakeGate(vertx);
    MeshClient client = connect(vertx, gate, new MeshClientOptions());
    client.send("demo", "echo", "Echo", new Text("fire"), CallOptions.DEFAULT);
    RouteRequest sent = (RouteRequest) gate.next();
    assertThat(sent.rid()).isZero();
    assertThat(client.inFlight()).isZero();
  }

  @Test
  void authSendsTokenAndLabelAndWaitsForTheGatesAnswer(Vertx vertx) throws Exception {
    FakeGate gate = new FakeGate(vertx);
    gate.script((conn, e) -> {
      if (e instanceof Envelope.AuthRequest) {
        conn.send(new Envelope.AuthResponse(0, null, "c-1", "127.0.0.1:7000", 10));
      }
    });
    MeshClient client = connect(vertx, gate, new MeshClientOptions().setToken("tok").setClientLabel("ios"));
    assertThat(gate.next()).isEqualTo(new Envelope.AuthRequest(1, "tok", "ios"));
    assertThat(client.auth().connId()).isEqualTo("c-1");
    assertThat(client.auth().gate()).isEqualTo("127.0.0.1:7000");
  }

  @Test
  void aRefusedAuthFailsTheConnectWithTheGatesCode(Vertx vertx) throws Exception {
    FakeGate gate = new FakeGate(vertx);
    gate.script((conn, e) -> conn.send(new Envelope.AuthResponse(16, "bad token", null, null, 0)));
    assertThatThrownBy(() -> connect(vertx, gate, new MeshClientOptions().setToken("bad")))
        .satisfies(t -> {
          assertThat(codeOf(t)).isEqualTo(Code.UNAUTHENTICATED);
          assertThat(t).hasMessageContaining("bad token");
        });
  }

  @Test
  void anUnansweredAuthTimesOut(Vertx vertx) throws Exception {
    FakeGate gate = new FakeGate(vertx);
    assertThatThrownBy(() -> connect(vertx, gate, new MeshClientOptions().setToken("t").setConnectTimeoutMs(200)))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Code.DEADLINE_EXCEEDED));
  }

  @Test
  void connectingToANonListeningPortFailsWithUnavailable(Vertx vertx) throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThatThrownBy(() -> MeshClient.connect(vertx, new MeshClientOptions().setPort(port)).await(5, TimeUnit.SECONDS))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Code.UNAVAILABLE));
  }

  @Test
  void argsThatCannotBeEncodedFailBeforeAnythingIsSent(Vertx vertx) throws Exception {
    FakeGate gate = new FakeGate(vertx);
    MeshClient client = connect(vertx, gate, new MeshClientOptions());
    Object unencodable = new Object() {
      @SuppressWarnings("unused")
      public Object getSelf() {
        return this;
      }
    };
    assertThatThrownBy(() -> client.call("demo", "echo", "Echo", unencodable, Map.class).await(2, TimeUnit.SECONDS))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Code.INVALID_ARGUMENT));
    assertThat(gate.received).isEmpty();
  }
}
