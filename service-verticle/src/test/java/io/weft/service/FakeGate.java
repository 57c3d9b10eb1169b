package io.weft.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.conn.CloseReason;
import io.weft.core.conn.ConnectionOptions;
import io.weft.core.conn.MeshConnection;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.Caller;
import io.weft.core.protocol.Envelope.RouteRequest;
import io.weft.core.protocol.Envelope.RouteResponse;
import io.weft.core.protocol.Envelope.ServiceCall;
import io.weft.core.protocol.Envelope.ServiceReply;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Plays a gate against a {@link ServiceHost}: dials its port over real TCP, speaks the wire
 * protocol through a {@link MeshConnection}, and queues what the host sends so that a test can
 * wait for it.
 * <p>
 * The first frame (the host's access report) is taken on connect and kept as {@link #first()};
 * {@link #next()} returns the frames after it, in arrival order, among them the calls the host
 * makes through the gate ({@code MSG_C2G_RPC_ROUTE}), which {@link #answer} answers. {@code Reply}
 * and {@code InnerRpc} bins are copied on arrival, since a received frame is released once its
 * handler returns. Waits are bounded by
 * {@link #WAIT_SECONDS}. Use it from the test thread only.
 */
final class FakeGate implements AutoCloseable {

  static final int WAIT_SECONDS = 5;

  private final BlockingQueue<Envelope> inbox = new LinkedBlockingQueue<>();
  private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
  private final Map<Long, ServiceReply> early = new HashMap<>();
  private NetClient client;
  private MeshConnection connection;
  private Envelope first;
  private long lastGrid;

  private FakeGate() {
  }

  /** Connects to the host on {@code 127.0.0.1:port} and waits for its first frame. */
  static FakeGate connect(Vertx vertx, int port) {
    FakeGate gate = new FakeGate();
    // The gate keeps its client: Vert.x shuts a client down (30 s grace) once it is garbage
    // collected, and a MeshConnection ignores that shutdown, so vertx.close() would wait 30 s.
    gate.client = vertx.createNetClient();
    join(onEventLoop(vertx, () -> gate.client.connect(port, "127.0.0.1").map(socket -> {
      // On the connect callback, that is on the socket's context, as attach requires.
      gate.connection = MeshConnection.attach(socket, new ConnectionOptions(), gate::received);
      gate.connection.closeHandler(gate.closed::complete);
      return gate;
    })));
    gate.first = gate.next();
    return gate;
  }

  private void received(Envelope envelope) {
    if (envelope instanceof ServiceReply r && (r.reply() != null || r.refused() != null)) {
      envelope = new ServiceReply(r.grid(), r.code(), r.error(), copy(r.reply()), copy(r.refused()));
    } else if (envelope instanceof RouteRequest r && r.innerRpc() != null) {
      envelope = new RouteRequest(r.rid(), r.namespace(), r.serviceName(),
          Unpooled.wrappedBuffer(ByteBufUtil.getBytes(r.innerRpc())), r.timeoutMs(), r.orderKey(), r.hashKey(), r.tags(),
          r.trace());
    }
    inbox.add(envelope);
  }

  private static ByteBuf copy(ByteBuf bin) {
    return bin == null ? null : Unpooled.wrappedBuffer(ByteBufUtil.getBytes(bin));
  }

  /**
   * Connects to the host and reports whether it kept the connection (sent its first frame)
   * rather than closing it at once.
   */
  static boolean tryConnect(Vertx vertx, int port) {
    FakeGate gate = new FakeGate();
    gate.client = vertx.createNetClient();
    join(onEventLoop(vertx, () -> gate.client.connect(port, "127.0.0.1").map(socket -> {
      gate.connection = MeshConnection.attach(socket, new ConnectionOptions(), gate::received);
      gate.connection.closeHandler(gate.closed::complete);
      return gate;
    })));
    org.awaitility.Awaitility.await().atMost(WAIT_SECONDS, TimeUnit.SECONDS).pollInterval(java.time.Duration.ofMillis(10))
        .until(() -> gate.closed.isDone() || !gate.inbox.isEmpty());
    boolean kept = !gate.inbox.isEmpty();
    gate.close();
    return kept;
  }

  /** The frames received and not yet taken, without waiting. */
  List<Envelope> received() {
    List<Envelope> frames = new ArrayList<>();
    inbox.drainTo(frames);
    return frames;
  }

  /** The first frame the host sent on this connection. */
  Envelope first() {
    return first;
  }

  /** The next frame from the host, waiting for it. */
  Envelope next() {
    return next("a frame");
  }

  private Envelope next(String what) {
    Envelope envelope = poll();
    if (envelope == null) {
      fail("the host sent no " + what + " within " + WAIT_SECONDS + " s");
    }
    return envelope;
  }

  private Envelope poll() {
    try {
      return inbox.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next frame, which must be a {@code type}. */
  <T extends Envelope> T next(Class<T> type) {
    Envelope envelope = next();
    assertThat(envelope).isInstanceOf(type);
    return type.cast(envelope);
  }

  /** Sends a call of {@code method} with a fresh GRid, no budget and no key; returns the GRid. */
  long send(String method, Object args) {
    return send(method, args, Envelope.ABSENT, null);
  }

  /** Sends a call with a fresh GRid; {@code timeoutMs} may be {@link Envelope#ABSENT}. */
  long send(String method, Object args, long timeoutMs, String orderKey) {
    long grid = ++lastGrid;
    send(new ServiceCall(grid, innerRpc(method, args), timeoutMs, orderKey, null, null));
    return grid;
  }

  /** Sends a one-way call (GRid 0). */
  void sendOneWay(String method, Object args) {
    send(new ServiceCall(0, innerRpc(method, args), Envelope.ABSENT, null, null, null));
  }

  /** Sends any envelope; its bins must own their bytes (the send hops to the event loop). */
  void send(Envelope envelope) {
    connection.send(envelope);
  }

  /** Answers a call the host made through this gate (s2s) with {@code value}. */
  void answer(RouteRequest call, Object value) {
    send(new RouteResponse(call.rid(), 0, null, Unpooled.wrappedBuffer(ArgsCodec.encode(value))));
  }

  /** Sends a call and waits for its reply. */
  ServiceReply call(String method, Object args) {
    return reply(send(method, args));
  }

  /** Sends a call with a trace and a caller and waits for its reply. */
  ServiceReply call(String method, Object args, long timeoutMs, String orderKey, String trace, Caller caller) {
    long grid = ++lastGrid;
    send(new ServiceCall(grid, innerRpc(method, args), timeoutMs, orderKey, trace, caller));
    return reply(grid);
  }

  /** Waits for the reply to {@code grid}; replies to other calls that arrive first are kept for later. */
  ServiceReply reply(long grid) {
    ServiceReply kept = early.remove(grid);
    if (kept != null) {
      return kept;
    }
    while (true) {
      Envelope envelope = next("reply to GRid " + grid);
      if (!(envelope instanceof ServiceReply r)) {
        throw new AssertionError("expected the reply to GRid " + grid + ", but received " + envelope);
      }
      if (r.grid() == grid) {
        return r;
      }
      assertThat(early.put(r.grid(), r)).as("a second reply to GRid %d", r.grid()).isNull();
    }
  }

  /**
   * The next {@code n} replies in arrival order; fewer when the host goes quiet for
   * {@link #WAIT_SECONDS} before sending them all.
   */
  List<ServiceReply> replies(int n) {
    List<ServiceReply> replies = new ArrayList<>();
    Envelope envelope;
    while (replies.size() < n && (envelope = poll()) != null) {
      assertThat(envelope).isInstanceOf(ServiceReply.class);
      replies.add((ServiceReply) envelope);
    }
    return replies;
  }

  /** Writes raw bytes on the socket, bypassing the encoder. */
  void writeRaw(byte[] bytes) {
    connection.channel().writeAndFlush(Unpooled.wrappedBuffer(bytes));
  }

  /** Waits until the host has closed this connection. */
  CloseReason awaitClosed() {
    try {
      return closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the connection is still open after " + WAIT_SECONDS + " s");
    } catch (InterruptedException | ExecutionException e) {
      throw new AssertionError(e);
    }
  }

  boolean isOpen() {
    return connection.isOpen();
  }

  @Override
  public void close() {
    join(connection.close());
    join(client.close());
  }

  /**
   * Runs {@code action} on a fresh event-loop context. Sockets are connected there, as the gate
   * does: connected from the test thread, the connect callback runs as a later event-loop task,
   * and the host's first frame sometimes reaches the socket before the callback has set the
   * socket up to read it (the frame is then lost).
   */
  static <T> Future<T> onEventLoop(Vertx vertx, Supplier<Future<T>> action) {
    Promise<T> promise = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }

  /** Waits for {@code future} on the test thread; a failure or {@link #WAIT_SECONDS} without an outcome fails the test. */
  static <T> T join(Future<T> future) {
    try {
      return future.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no outcome within " + WAIT_SECONDS + " s", e);
    }
  }

  static ByteBuf innerRpc(String method, Object args) {
    return Unpooled.wrappedBuffer(ArgsCodec.encodeInnerRpc(method, args));
  }

  /** {@code body} with its length prefix. */
  static byte[] frame(byte[] body) {
    return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
  }

  /** The reply's value, decoded as {@code type}. */
  static <T> T value(ServiceReply reply, Class<T> type) {
    assertThat(reply.reply()).as("Reply of %s", reply).isNotNull();
    return ArgsCodec.decode(ByteBufUtil.getBytes(reply.reply()), type);
  }
}
