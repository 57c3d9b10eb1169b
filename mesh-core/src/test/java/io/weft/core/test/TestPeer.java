package io.weft.core.test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.weft.core.conn.CloseReason;
import io.weft.core.conn.ConnectionOptions;
import io.weft.core.conn.MeshConnection;
import io.weft.core.protocol.Envelope;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A protocol peer for tests: a real socket speaking frames, which records what it receives
 * (with bin fields copied, since frames are released after the handler) and can also write raw
 * bytes, to play a misbehaving client.
 */
public final class TestPeer {

  private final BlockingQueue<Envelope> received;
  private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
  private final NetSocket socket;
  private final MeshConnection connection;

  /** Kept so the client is not collected (and its sockets shut down) while the peer is in use. */
  private final NetClient client;

  private TestPeer(NetSocket socket, MeshConnection connection, BlockingQueue<Envelope> received, NetClient client) {
    this.client = client;
    this.socket = socket;
    this.connection = connection;
    this.received = received;
  }

  /** Connects to {@code 127.0.0.1:port}. */
  public static TestPeer connect(Vertx vertx, int port) throws Exception {
    return connect(vertx, port, new ConnectionOptions());
  }

  public static TestPeer connect(Vertx vertx, int port, ConnectionOptions options) throws Exception {
    CompletableFuture<TestPeer> peer = new CompletableFuture<>();
    // Connect from an event-loop context, so the socket is attached before it can read.
    ContextInternal context = ((VertxInternal) vertx).createEventLoopContext();
    NetClient client = vertx.createNetClient();
    context.runOnContext(v -> client.connect(port, "127.0.0.1").onComplete(ar -> {
      if (ar.failed()) {
        peer.completeExceptionally(ar.cause());
        return;
      }
      BlockingQueue<Envelope> queue = new LinkedBlockingQueue<>();
      MeshConnection conn = MeshConnection.attach(ar.result(), options, e -> queue.add(copy(e)));
      TestPeer p = new TestPeer(ar.result(), conn, queue, client);
      conn.closeHandler(p.closed::complete);
      peer.complete(p);
    }));
    return peer.get(5, TimeUnit.SECONDS);
  }

  public void send(Envelope envelope) {
    connection.send(envelope);
  }

  /** Writes bytes as they are, bypassing the codec. */
  public void sendRaw(Buffer bytes) {
    socket.write(bytes);
  }

  /** The next envelope received, waiting up to 5 s. */
  public Envelope next() throws InterruptedException {
    return next(5000);
  }

  public Envelope next(long timeoutMs) throws InterruptedException {
    Envelope e = received.poll(timeoutMs, TimeUnit.MILLISECONDS);
    if (e == null) {
      throw new AssertionError("nothing received within " + timeoutMs + " ms");
    }
    return e;
  }

  /** The next envelope of type {@code type}, skipping others. */
  public <T extends Envelope> T next(Class<T> type) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      Envelope e = received.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
      if (type.isInstance(e)) {
        return type.cast(e);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " received within 5 s");
  }

  /** What was received and not yet taken. */
  public BlockingQueue<Envelope> received() {
    return received;
  }

  public CompletableFuture<CloseReason> closed() {
    return closed;
  }

  public boolean isOpen() {
    return connection.isOpen();
  }

  public void close() {
    connection.close();
    client.close();
  }

  /** A frame for raw writes: the 4-byte length and the body. */
  public static Buffer frame(byte[] body) {
    return Buffer.buffer().appendInt(body.length).appendBytes(body);
  }

  private static Envelope copy(Envelope e) {
    return switch (e) {
      case Envelope.RouteResponse r -> new Envelope.RouteResponse(r.rid(), r.code(), r.error(), copy(r.reply()));
      case Envelope.ServiceReply r -> new Envelope.ServiceReply(r.grid(), r.code(), r.error(), copy(r.reply()));
      case Envelope.ServiceCall c -> new Envelope.ServiceCall(c.grid(), copy(c.innerRpc()), c.timeoutMs(), c.orderKey(),
          c.trace(), c.caller());
      case Envelope.RouteRequest r -> new Envelope.RouteRequest(r.rid(), r.namespace(), r.serviceName(),
          copy(r.innerRpc()), r.timeoutMs(), r.orderKey(), r.hashKey(), r.tags(), r.trace());
      case Envelope.ClientPush p -> new Envelope.ClientPush(p.clientId(), p.pushId(), copy(p.innerRpc()));
      case Envelope.GatePush p -> new Envelope.GatePush(p.connId(), p.clientId(), p.pushId(), copy(p.innerRpc()));
      default -> e;
    };
  }

  private static ByteBuf copy(ByteBuf b) {
    return b == null ? null : Unpooled.copiedBuffer(b);
  }

  /** The bytes of a bin field. */
  public static byte[] bytes(ByteBuf b) {
    byte[] out = new byte[b.readableBytes()];
    b.getBytes(b.readerIndex(), out);
    return out;
  }
}
