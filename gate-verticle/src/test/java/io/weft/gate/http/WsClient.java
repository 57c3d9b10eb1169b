package io.weft.gate.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.internal.buffer.BufferInternal;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.EnvelopeCodec;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A test client speaking Weft frames over a Vert.x WebSocket, one binary message per frame body. */
final class WsClient {

  /** Held: Vert.x closes a client, and its connections, once it is garbage. */
  final WebSocketClient client;
  final WebSocket socket;
  final BlockingQueue<Envelope> received = new LinkedBlockingQueue<>();
  volatile boolean closed;
  volatile Short closeStatus;

  private WsClient(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.binaryMessageHandler(buffer -> {
      // Decoded envelopes point into their buffer: decode a copy that outlives the handler.
      ByteBuf copy = UnpooledByteBufAllocator.DEFAULT.heapBuffer().writeBytes(((BufferInternal) buffer).getByteBuf());
      received.add(EnvelopeCodec.decode(copy));
    });
    socket.closeHandler(v -> {
      closeStatus = socket.closeStatusCode();
      closed = true;
    });
  }

  static WsClient connect(Vertx vertx, int port, String origin) throws Exception {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws");
    if (origin != null) {
      options.addHeader("Origin", origin);
    }
    // Large enough to read the gate's 1 MiB frames.
    WebSocketClient client = vertx.createWebSocketClient(
        new WebSocketClientOptions().setMaxFrameSize(2 << 20).setMaxMessageSize(2 << 20));
    WebSocket socket = client.connect(options).await(5, TimeUnit.SECONDS);
    return new WsClient(client, socket);
  }

  void send(Envelope envelope) {
    ByteBuf body = EnvelopeCodec.encodeBody(envelope, UnpooledByteBufAllocator.DEFAULT);
    socket.writeBinaryMessage(BufferInternal.buffer(body));
  }

  /** Sends one envelope as a message of two WebSocket fragments, which the gate must join. */
  void sendFragmented(Envelope envelope) {
    ByteBuf body = EnvelopeCodec.encodeBody(envelope, UnpooledByteBufAllocator.DEFAULT);
    int half = body.readableBytes() / 2;
    socket.writeFrame(WebSocketFrame.binaryFrame(BufferInternal.buffer(body.readRetainedSlice(half)), false));
    socket.writeFrame(WebSocketFrame.continuationFrame(BufferInternal.buffer(body), true));
  }

  void sendRaw(byte[] bytes) {
    socket.writeBinaryMessage(Buffer.buffer(bytes));
  }

  Envelope read() throws InterruptedException {
    Envelope e = received.poll(5, TimeUnit.SECONDS);
    if (e == null) {
      throw new AssertionError("nothing received within 5 s");
    }
    return e;
  }

  void close() {
    socket.close();
  }
}
