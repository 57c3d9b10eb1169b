package io.weft.core.conn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import io.weft.core.frame.FrameException;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.EnvelopeCodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A MeshConnection on the server side of a real socket, seen from a raw client. */
@ExtendWith(VertxExtension.class)
class MeshConnectionIT {

  private static final ConnectionOptions FAST_HEARTBEAT = new ConnectionOptions().setHeartbeat(100, 250);
  private static final ConnectionOptions LENIENT_HEARTBEAT = new ConnectionOptions().setHeartbeat(150, 900);

  private Vertx vertx;
  private final List<Envelope> serverReceived = new CopyOnWriteArrayList<>();
  private final CompletableFuture<MeshConnection> serverConnection = new CompletableFuture<>();
  private final CompletableFuture<CloseReason> serverClosed = new CompletableFuture<>();
  private final CompletableFuture<Long> serverClosedAt = new CompletableFuture<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
  }

  private int listen(ConnectionOptions options) throws Exception {
    NetServer server = vertx.createNetServer().connectHandler(socket -> {
      MeshConnection conn = MeshConnection.attach(socket, options, serverReceived::add);
      conn.closeHandler(reason -> {
        serverClosedAt.complete(System.nanoTime());
        serverClosed.complete(reason);
      });
      serverConnection.complete(conn);
    });
    return server.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS).actualPort();
  }

  /** A raw client socket that records every byte it receives. */
  private final class RawClient {
    /** Held so that it is not collected: Vert.x shuts down the sockets of a collected client. */
    final io.vertx.core.net.NetClient client = vertx.createNetClient();
    final NetSocket socket;
    final Buffer received = Buffer.buffer();
    final CompletableFuture<Void> closed = new CompletableFuture<>();

    RawClient(int port) throws Exception {
      socket = client.connect(port, "127.0.0.1").await(5, TimeUnit.SECONDS);
      socket.handler(b -> {
        synchronized (received) {
          received.appendBuffer(b);
        }
      });
      socket.closeHandler(v -> closed.complete(null));
    }

    void send(Envelope e) {
      ByteBuf frame = EnvelopeCodec.encodeFrame(e, Unpooled.buffer().alloc());
      byte[] bytes = new byte[frame.readableBytes()];
      frame.readBytes(bytes);
      frame.release();
      socket.write(Buffer.buffer(bytes));
    }

    /** The envelopes received so far (whole frames only). */
    List<Envelope> envelopes() {
      List<Envelope> out = new java.util.ArrayList<>();
      synchronized (received) {
        int pos = 0;
        while (pos + 4 <= received.length()) {
          int len = received.getInt(pos);
          if (pos + 4 + len > received.length()) {
            break;
          }
          ByteBuf body = Unpooled.wrappedBuffer(received.getBytes(pos + 4, pos + 4 + len));
          out.add(EnvelopeCodec.decode(body));
          pos += 4 + len;
        }
      }
      return out;
    }
  }

  @Test
  void aSilentPeerGetsOneHeartbeatRequestAfterIdleAndIsClosedAfterDead() throws Exception {
    int port = listen(FAST_HEARTBEAT);
    long start = System.nanoTime();
    RawClient client = new RawClient(port);
    await().atMost(Duration.ofSeconds(2)).until(() -> !client.envelopes().isEmpty());
    long firstHeartbeatMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(client.envelopes()).containsExactly(Envelope.HeartbeatRequest.INSTANCE);
    assertThat(firstHeartbeatMs).isBetween(90L, 240L);

    assertThat(serverClosed.get(2, TimeUnit.SECONDS)).isEqualTo(CloseReason.HEARTBEAT_DEAD);
    long closedMs = (serverClosedAt.get() - start) / 1_000_000;
    assertThat(closedMs).isBetween(240L, 600L);
    client.closed.get(2, TimeUnit.SECONDS);
    // one request per idle period, not one per idle tick
    assertThat(client.envelopes()).containsExactly(Envelope.HeartbeatRequest.INSTANCE);
  }

  @Test
  void heartbeatRequestsAreAnswered() throws Exception {
    int port = listen(new ConnectionOptions());
    RawClient client = new RawClient(port);
    client.send(Envelope.HeartbeatRequest.INSTANCE);
    await().atMost(Duration.ofSeconds(2)).until(() -> !client.envelopes().isEmpty());
    assertThat(client.envelopes()).containsExactly(Envelope.HeartbeatResponse.INSTANCE);
    assertThat(serverReceived).as("heartbeats are not handed to the application").isEmpty();
  }

  @Test
  void twoMeshConnectionsKeepEachOtherAliveWellPastTheDeadTime() throws Exception {
    int port = listen(FAST_HEARTBEAT);
    CompletableFuture<CloseReason> clientClosed = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> vertx.createNetClient().connect(port, "127.0.0.1").onSuccess(socket ->
        MeshConnection.attach(socket, FAST_HEARTBEAT, e -> { }).closeHandler(clientClosed::complete)));
    MeshConnection server = serverConnection.get(2, TimeUnit.SECONDS);
    await().pollDelay(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> true);
    assertThat(server.isOpen()).isTrue();
    assertThat(clientClosed).isNotDone();
    assertThat(serverClosed).isNotDone();
  }

  @Test
  void aPeerThatTalksIsNeverConsideredDead() throws Exception {
    // generous timings: a loaded machine may delay the talker's timer, which is not what is tested
    int port = listen(LENIENT_HEARTBEAT);
    RawClient client = new RawClient(port);
    long periodic = vertx.setPeriodic(50, t -> client.send(new Envelope.ErrorNotice(0, null)));
    try {
      await().pollDelay(Duration.ofMillis(2000)).atMost(Duration.ofSeconds(3)).until(() -> true);
      assertThat(serverClosed).isNotDone();
    } finally {
      vertx.cancelTimer(periodic);
    }
  }

  @Test
  void garbageClosesTheConnectionAsAProtocolError() throws Exception {
    int port = listen(new ConnectionOptions());
    RawClient client = new RawClient(port);
    client.socket.write(Buffer.buffer().appendInt(3).appendBytes(new byte[] {(byte) 0xc1, 0x01, 0x02}));
    assertThat(serverClosed.get(2, TimeUnit.SECONDS)).isEqualTo(CloseReason.PROTOCOL_ERROR);
    assertThat(serverConnection.get().closeCause()).isInstanceOf(FrameException.class)
        .extracting(c -> ((FrameException) c).kind()).isEqualTo(FrameException.Kind.MALFORMED);
    client.closed.get(2, TimeUnit.SECONDS);
  }

  @Test
  void anOversizeLengthClaimClosesAtOnceWithoutWaitingForTheBody() throws Exception {
    int port = listen(new ConnectionOptions().setMaxFrameBytes(1024));
    RawClient client = new RawClient(port);
    client.socket.write(Buffer.buffer().appendInt(1025));
    assertThat(serverClosed.get(2, TimeUnit.SECONDS)).isEqualTo(CloseReason.PROTOCOL_ERROR);
    assertThat(((FrameException) serverConnection.get().closeCause()).kind()).isEqualTo(FrameException.Kind.TOO_LARGE);
  }

  @Test
  void aZeroLengthFrameClosesTheConnection() throws Exception {
    int port = listen(new ConnectionOptions());
    RawClient client = new RawClient(port);
    client.socket.write(Buffer.buffer().appendInt(0));
    assertThat(serverClosed.get(2, TimeUnit.SECONDS)).isEqualTo(CloseReason.PROTOCOL_ERROR);
    assertThat(((FrameException) serverConnection.get().closeCause()).kind()).isEqualTo(FrameException.Kind.EMPTY);
  }

  @Test
  void framesSplitAndCoalescedOnTheWireAreAllDelivered() throws Exception {
    int port = listen(new ConnectionOptions());
    RawClient client = new RawClient(port);
    Buffer all = Buffer.buffer();
    for (int i = 0; i < 20; i++) {
      ByteBuf frame = EnvelopeCodec.encodeFrame(new Envelope.ListenAddrRequest(i + 1), Unpooled.buffer().alloc());
      byte[] bytes = new byte[frame.readableBytes()];
      frame.readBytes(bytes);
      frame.release();
      all.appendBytes(bytes);
    }
    // odd-sized chunks: some frames split, several in one write
    for (int pos = 0; pos < all.length(); pos += 7) {
      client.socket.write(all.getBuffer(pos, Math.min(all.length(), pos + 7)));
    }
    await().atMost(Duration.ofSeconds(2)).until(() -> serverReceived.size() == 20);
    for (int i = 0; i < 20; i++) {
      assertThat(serverReceived.get(i)).isEqualTo(new Envelope.ListenAddrRequest(i + 1));
    }
  }

  @Test
  void aPeerThatStopsReadingIsDroppedOnceItsBacklogPassesTheLimit() throws Exception {
    int port = listen(new ConnectionOptions().setMaxPendingWriteBytes(64 * 1024));
    RawClient client = new RawClient(port);
    client.socket.pause();
    MeshConnection server = serverConnection.get(2, TimeUnit.SECONDS);
    byte[] payload = new byte[16 * 1024];
    ByteBuf innerRpc = Unpooled.wrappedBuffer(payload);
    server.context().runOnContext(v -> {
      // far more than the socket buffers and the backlog limit can hold
      for (int i = 0; i < 2000 && server.isOpen(); i++) {
        server.send(new Envelope.ClientPush("c", "", innerRpc));
      }
    });
    assertThat(serverClosed.get(5, TimeUnit.SECONDS)).isEqualTo(CloseReason.SLOW_READER);
  }

  @Test
  void sendFromAnotherThreadIsDeliveredOnTheConnectionsLoop() throws Exception {
    int port = listen(new ConnectionOptions());
    RawClient client = new RawClient(port);
    MeshConnection server = serverConnection.get(2, TimeUnit.SECONDS);
    server.send(new Envelope.ListenAddrResponse(9, "127.0.0.1:7001"));
    await().atMost(Duration.ofSeconds(2)).until(() -> !client.envelopes().isEmpty());
    assertThat(client.envelopes()).containsExactly(new Envelope.ListenAddrResponse(9, "127.0.0.1:7001"));
  }

  @Test
  void attachingOffTheSocketsEventLoopIsRefused() throws Exception {
    int port = listen(new ConnectionOptions());
    NetSocket socket = vertx.createNetClient().connect(port, "127.0.0.1").await(5, TimeUnit.SECONDS);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> MeshConnection.attach(socket, new ConnectionOptions(), e -> { }))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("event loop");
  }

  @Test
  void closingLocallyReportsLocal() throws Exception {
    int port = listen(new ConnectionOptions());
    RawClient client = new RawClient(port);
    MeshConnection server = serverConnection.get(2, TimeUnit.SECONDS);
    server.close();
    assertThat(serverClosed.get(2, TimeUnit.SECONDS)).isEqualTo(CloseReason.LOCAL);
    client.closed.get(2, TimeUnit.SECONDS);
    assertThat(server.isOpen()).isFalse();
  }

  @Test
  void aPeerClosingIsReportedAsPeer() throws Exception {
    int port = listen(new ConnectionOptions());
    RawClient client = new RawClient(port);
    serverConnection.get(2, TimeUnit.SECONDS);
    client.socket.close();
    assertThat(serverClosed.get(2, TimeUnit.SECONDS)).isEqualTo(CloseReason.PEER);
  }
}
