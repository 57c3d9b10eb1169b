package io.weft.service;

import static io.weft.service.FakeGate.frame;
import static io.weft.service.FakeGate.join;
import static io.weft.service.FakeGate.onEventLoop;
import static io.weft.service.FakeGate.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.VertxExtension;
import io.weft.core.Code;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.conn.CloseReason;
import io.weft.core.conn.ConnectionOptions;
import io.weft.core.protocol.Envelope.AccessReport;
import io.weft.core.protocol.Envelope.ErrorNotice;
import io.weft.core.protocol.Envelope.ServiceReply;
import io.weft.service.TestService.Add;
import io.weft.service.TestService.Slept;
import io.weft.service.TestService.Sum;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * The gate connections of a {@link ServiceHost}: what closes one (PROTOCOL.md section 1), what
 * does not (an unknown message name), heartbeats (section 7), and several gates at once.
 */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class GateConnectionIT {

  private static ServiceOptions options() {
    return new ServiceOptions().setNamespace("test").setName("svc").setHost("127.0.0.1");
  }

  private static ServiceHost deploy(Vertx vertx, ServiceOptions options) {
    ServiceHost host = new ServiceHost(options, TestService::new);
    join(vertx.deployVerticle(host));
    return host;
  }

  @Test
  void unknownMessageNameIsAnsweredWithMsgError12AndTheConnectionStaysOpen(Vertx vertx) throws IOException {
    FakeGate gate = FakeGate.connect(vertx, deploy(vertx, options()).actualPort());

    gate.writeRaw(frame(message("MSG_FROM_A_LATER_VERSION", 1)));

    ErrorNotice notice = gate.next(ErrorNotice.class);
    assertThat(notice.code()).isEqualTo(Code.UNIMPLEMENTED.value());
    assertThat(notice.error()).contains("MSG_FROM_A_LATER_VERSION");
    assertThat(value(gate.call("Add", new Add(1, 2)), Sum.class)).isEqualTo(new Sum(3));
    assertThat(gate.isOpen()).isTrue();
  }

  @Test
  void garbageFrameClosesThatConnectionOnly(Vertx vertx) {
    ServiceHost host = deploy(vertx, options());
    FakeGate bystander = FakeGate.connect(vertx, host.actualPort());
    FakeGate offender = FakeGate.connect(vertx, host.actualPort());

    offender.writeRaw(frame(new byte[] {(byte) 0xc1, (byte) 0xc1, (byte) 0xc1, (byte) 0xc1}));

    assertThat(offender.awaitClosed()).isEqualTo(CloseReason.PEER);
    assertThat(value(bystander.call("Add", new Add(2, 2)), Sum.class)).isEqualTo(new Sum(4));
    FakeGate newcomer = FakeGate.connect(vertx, host.actualPort());
    assertThat(newcomer.first()).isInstanceOf(AccessReport.class);
    assertThat(value(newcomer.call("Add", new Add(3, 3)), Sum.class)).isEqualTo(new Sum(6));
  }

  @Test
  void wellFormedMessagePackThatIsNotANameArgsPairClosesTheConnection(Vertx vertx) throws IOException {
    FakeGate gate = FakeGate.connect(vertx, deploy(vertx, options()).actualPort());
    byte[] threeElements;
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      packer.packArrayHeader(3).packString("MSG_G2S_RPC_CALL").packMapHeader(0).packNil();
      threeElements = packer.toByteArray();
    }

    gate.writeRaw(frame(threeElements));

    gate.awaitClosed();
  }

  @Test
  void lengthClaimAboveTheOneMebibyteDefaultClosesTheConnection(Vertx vertx) {
    ServiceHost host = deploy(vertx, options());
    FakeGate gate = FakeGate.connect(vertx, host.actualPort());

    gate.writeRaw(ByteBuffer.allocate(12).putInt(ConnectionOptions.DEFAULT_MAX_FRAME_BYTES + 1).array());

    gate.awaitClosed();
    FakeGate next = FakeGate.connect(vertx, host.actualPort());
    assertThat(next.call("Add", new Add(0, 0)).code()).isZero();
  }

  @Test
  void zeroLengthFrameClosesTheConnection(Vertx vertx) {
    FakeGate gate = FakeGate.connect(vertx, deploy(vertx, options()).actualPort());

    gate.writeRaw(new byte[] {0, 0, 0, 0});

    gate.awaitClosed();
  }

  @Test
  void frameSplitIntoSingleBytesIsReassembled(Vertx vertx) {
    FakeGate gate = FakeGate.connect(vertx, deploy(vertx, options()).actualPort());
    byte[] call = frame(callBody(9, "Add", new Add(4, 5)));

    for (byte b : call) {
      gate.writeRaw(new byte[] {b});
    }

    ServiceReply reply = gate.reply(9);
    assertThat(value(reply, Sum.class)).isEqualTo(new Sum(9));
  }

  @Test
  void twoGatesAreServedAtOnceAndEachGetsTheRepliesToItsOwnCalls(Vertx vertx) {
    ServiceHost host = deploy(vertx, options());
    FakeGate a = FakeGate.connect(vertx, host.actualPort());
    FakeGate b = FakeGate.connect(vertx, host.actualPort());

    // Both gates number their calls 1, 2, ...: a reply sent on the wrong connection would match there.
    long slowOnA = a.send("Slow", Map.of("Ms", 200));
    long addOnA = a.send("Add", new Add(1, 2));
    long slowOnB = b.send("Slow", Map.of("Ms", 100));
    long addOnB = b.send("Add", new Add(10, 20));

    assertThat(List.of(slowOnA, addOnA)).isEqualTo(List.of(slowOnB, addOnB));
    assertThat(value(b.reply(addOnB), Sum.class)).isEqualTo(new Sum(30));
    assertThat(value(a.reply(addOnA), Sum.class)).isEqualTo(new Sum(3));
    assertThat(value(b.reply(slowOnB), Slept.class)).isEqualTo(new Slept(100));
    assertThat(value(a.reply(slowOnA), Slept.class)).isEqualTo(new Slept(200));
    long afterOnB = b.send("Add", new Add(5, 5));
    ServiceReply nextOnB = b.next(ServiceReply.class);
    assertThat(nextOnB.grid()).as("B received nothing of A's").isEqualTo(afterOnB);
  }

  @Test
  void gateThatAnswersHeartbeatsStaysConnectedPastTheDeadTime(Vertx vertx) {
    ServiceOptions options = options().setConnection(new ConnectionOptions().setHeartbeat(100, 500));
    FakeGate gate = FakeGate.connect(vertx, deploy(vertx, options).actualPort());

    // The fake gate sends nothing on its own; it only answers the host's heartbeat requests.
    await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3)).until(gate::isOpen);

    assertThat(gate.call("Add", new Add(1, 1)).code()).isZero();
  }

  @Test
  void silentGateIsSentAHeartbeatRequestAndThenClosed(Vertx vertx) {
    ServiceOptions options = options().setConnection(new ConnectionOptions().setHeartbeat(100, 300));
    int port = deploy(vertx, options).actualPort();
    Buffer received = Buffer.buffer();
    CompletableFuture<Void> closed = new CompletableFuture<>();

    NetClient client = vertx.createNetClient();

    join(onEventLoop(vertx, () -> client.connect(port, "127.0.0.1")
        .map(s -> s.handler(data -> {
          synchronized (received) {
            received.appendBuffer(data);
          }
        }).closeHandler(v -> closed.complete(null)))));

    await().atMost(Duration.ofSeconds(5)).until(closed::isDone);
    synchronized (received) {
      assertThat(received.toString(StandardCharsets.ISO_8859_1))
          .contains("MSG_S2G_RPC_ACCESS_REPORT", "MSG_HEART_BEAT_REQ");
    }
  }

  @Test
  void undeployClosesTheGateConnections(Vertx vertx) {
    ServiceHost host = new ServiceHost(options(), TestService::new);
    String id = join(vertx.deployVerticle(host));
    FakeGate gate = FakeGate.connect(vertx, host.actualPort());

    join(vertx.undeploy(id));

    gate.awaitClosed();
  }

  /** A frame body {@code [name, {X: x}]}. */
  private static byte[] message(String name, int x) throws IOException {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      packer.packArrayHeader(2).packString(name).packMapHeader(1).packString("X").packInt(x);
      return packer.toByteArray();
    }
  }

  /** The body of a {@code MSG_G2S_RPC_CALL}, packed by hand with small-width integers. */
  private static byte[] callBody(long grid, String method, Object args) {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      byte[] innerRpc = ArgsCodec.encodeInnerRpc(method, args);
      packer.packArrayHeader(2).packString("MSG_G2S_RPC_CALL").packMapHeader(2)
          .packString("GRid").packLong(grid)
          .packString("InnerRpc").packBinaryHeader(innerRpc.length);
      packer.writePayload(innerRpc);
      return packer.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
