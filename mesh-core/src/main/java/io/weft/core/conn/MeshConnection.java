package io.weft.core.conn;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.ShutdownEvent;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.weft.core.conn.impl.HeartbeatHandlers;
import io.weft.core.conn.impl.WebSocketFrames;
import io.weft.core.frame.FrameDecoder;
import io.weft.core.frame.FrameException;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.EnvelopeCodec;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A framed MessagePack connection between two Weft peers, on top of a Vert.x {@link NetSocket}
 * or (a browser's) {@link ServerWebSocket}.
 * <p>
 * It installs the frame decoder, heartbeat timers and flush consolidation in the socket's Netty
 * pipeline, decodes each frame into an {@link Envelope} for its handler, answers heartbeat
 * requests itself, and closes at once on a frame that breaks the protocol. Frames are decoded
 * from the read buffer without copying: the envelope's {@code bin} fields are valid only while
 * the handler runs.
 * <p>
 * {@link #send} writes and asks for a flush; the {@link FlushConsolidationHandler} turns the
 * flushes of one event-loop round into one system call, which matters when replies to one socket
 * are produced while reading another.
 * <p>
 * A connection is confined to its event loop: the handler runs there, and {@link #send} called
 * from another thread hops there first (its envelope must then own its buffers).
 */
public final class MeshConnection implements EnvelopeSink {

  private static final Logger log = LoggerFactory.getLogger(MeshConnection.class);

  /** Pending flushes coalesced before one is forced, when no read is in progress. */
  private static final int EXPLICIT_FLUSH_AFTER_FLUSHES = 256;

  /** Vert.x's context until {@link #attach} replaces its handler, then the terminal's. */
  private ChannelHandlerContext chctx;
  private final Channel channel;
  private final SocketAddress remoteAddress;
  /** Vert.x's TCP metrics of the socket taken over (null when metrics are off), told when it closes. */
  private final TCPMetrics<Object> metrics;
  private final Object metric;
  private final Handler<Object> frameHandler = this::handleMessage;
  private final ConnectionOptions options;
  private final ContextInternal context;
  /** The WebSocket the frames ride on, or null on TCP. */
  private final ServerWebSocket webSocket;
  private Handler<Envelope> handler;
  private Handler<CloseReason> closeHandler;
  private Handler<Boolean> writabilityHandler;
  private Handler<Void> shutdownHandler;
  private CloseReason closeReason;
  private Throwable closeCause;
  private Object attachment;

  @SuppressWarnings("unchecked")
  private MeshConnection(NetSocketInternal socket, ConnectionOptions options, ContextInternal context) {
    this.context = context;
    this.chctx = socket.channelHandlerContext();
    this.channel = chctx.channel();
    this.options = options;
    // Read once, while Vert.x's socket still holds it (a proxy-protocol address is handed out once).
    this.remoteAddress = socket.remoteAddress();
    ConnectionBase base = (ConnectionBase) socket;
    this.metrics = base.metrics() instanceof TCPMetrics<?> tcp ? (TCPMetrics<Object>) tcp : null;
    this.metric = metrics == null ? null : base.metric();
    this.webSocket = null;
  }

  private MeshConnection(ServerWebSocket webSocket, ChannelHandlerContext chctx, ConnectionOptions options,
                         ContextInternal context) {
    this.context = context;
    this.chctx = chctx;
    this.channel = chctx.channel();
    this.options = options;
    this.remoteAddress = webSocket.remoteAddress();
    // Vert.x's WebSocket stays at the end of the pipeline and reports its own metrics.
    this.metrics = null;
    this.metric = null;
    this.webSocket = webSocket;
  }

  /**
   * Takes over {@code socket}: from now on it carries frames, delivered as envelopes to
   * {@code handler} on the socket's context.
   * <p>
   * Call it on the socket's event loop, before it can read: in a server's connect handler, or in
   * the callback of a connect started from an event-loop context. (A connect started from a plain
   * thread completes later, on another thread; frames read meanwhile would be lost.)
   *
   * @throws IllegalStateException when called off the socket's event loop
   */
  public static MeshConnection attach(NetSocket socket, ConnectionOptions options, Handler<Envelope> handler) {
    Objects.requireNonNull(handler, "handler");
    NetSocketInternal internal = (NetSocketInternal) socket;
    ContextInternal context = ContextInternal.current();
    if (context == null || !internal.channelHandlerContext().executor().inEventLoop()) {
      throw new IllegalStateException("attach must be called on the socket's event loop (connect from an event-loop context)");
    }
    MeshConnection conn = new MeshConnection(internal, new ConnectionOptions(options), context);
    conn.handler = handler;
    ChannelPipeline pipeline = conn.chctx.pipeline();
    conn.installCommon(pipeline, options, new FrameDecoder(options.getMaxFrameBytes()));
    // Vert.x's own end of the pipeline goes: its socket keeps a read queue and a write queue
    // (about 5 KiB per connection, most of an idle connection's heap) that a connection writing
    // to its channel directly never uses.
    pipeline.replace("handler", "weft-connection", new Terminal(conn));
    // Write from the terminal's context: the replaced one would keep Vert.x's socket reachable.
    conn.chctx = pipeline.context("weft-connection");
    return conn;
  }

  /**
   * Takes over an accepted {@code webSocket}: from now on its binary messages carry frame bodies
   * (PROTOCOL.md section 2), delivered as envelopes to {@code handler} on the WebSocket's context,
   * with the same heartbeats, limits and flow control as a TCP connection. Vert.x's WebSocket stays
   * at the end of the pipeline for what it does well: pings and the closing handshake.
   * <p>
   * Call it on the WebSocket's event loop, as soon as the handshake is accepted.
   *
   * @throws IllegalStateException when called off the WebSocket's event loop
   */
  public static MeshConnection attach(ServerWebSocket webSocket, ConnectionOptions options, Handler<Envelope> handler) {
    Objects.requireNonNull(handler, "handler");
    ChannelHandlerContext chctx = ((WebSocketInternal) webSocket).channelHandlerContext();
    ContextInternal context = ContextInternal.current();
    if (context == null || !chctx.executor().inEventLoop()) {
      throw new IllegalStateException("attach must be called on the WebSocket's event loop");
    }
    MeshConnection conn = new MeshConnection(webSocket, chctx, new ConnectionOptions(options), context);
    conn.handler = handler;
    ChannelPipeline pipeline = chctx.pipeline();
    pipeline.addBefore("handler", "weft-ws-aggregator", new WebSocketFrameAggregator(options.getMaxFrameBytes()));
    conn.installCommon(pipeline, options, new WebSocketFrames(options.getMaxFrameBytes(), conn::protocolError));
    // Frame bodies and writability end here; Vert.x's WebSocket sees only control frames.
    pipeline.addBefore("handler", "weft-connection", new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf) {
          conn.context.dispatch(msg, conn.frameHandler);
        } else {
          ctx.fireChannelRead(msg);
        }
      }

      @Override
      public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        conn.context.dispatch(conn::writabilityChanged);
        ctx.fireChannelWritabilityChanged();
      }
    });
    webSocket.exceptionHandler(conn::handleException);
    webSocket.closeHandler(v -> conn.handleClosed());
    webSocket.shutdownHandler(v -> conn.close());
    // The handshake's answer may still wait for the flush that ends this read, which the
    // WebSocket's Vert.x connection, new in the pipeline, does not know it owes.
    conn.channel.flush();
    return conn;
  }

  /** The handlers both carriers share, around {@code framing}: flushes, frame limits, heartbeats. */
  private void installCommon(ChannelPipeline pipeline, ConnectionOptions options, io.netty.channel.ChannelHandler framing) {
    if (pipeline.get("chunkedWriter") != null) {
      // Vert.x adds it under TLS, for file transfers; it would queue writes out of sight of maxPendingWriteBytes.
      pipeline.remove("chunkedWriter");
    }
    int highWater = options.effectiveWriteHighWaterBytes();
    channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(highWater / 2, highWater));
    pipeline.addBefore("handler", "weft-flush", new FlushConsolidationHandler(EXPLICIT_FLUSH_AFTER_FLUSHES, true));
    pipeline.addBefore("handler", "weft-frame", framing);
    pipeline.addBefore("handler", "weft-heartbeat", HeartbeatHandlers.idle(options.getHeartbeatIdleMs()));
    pipeline.addBefore("handler", "weft-dead", HeartbeatHandlers.dead(options.getHeartbeatDeadMs(), this::markHeartbeatDead));
  }

  /** The end of the pipeline: frames, failures, writability and the close, on the connection's context. */
  private static final class Terminal extends ChannelInboundHandlerAdapter {

    private final MeshConnection conn;

    Terminal(MeshConnection conn) {
      this.conn = conn;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      conn.context.dispatch(msg, conn.frameHandler);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      conn.context.dispatch(conn::writabilityChanged);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      conn.context.dispatch(cause, conn::handleException);
      ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ShutdownEvent) {
        // Vert.x asks connections to shut down gracefully when their server or client closes;
        // unless the owner drains through that shutdown (shutdownHandler), the connection just closes.
        conn.context.dispatch(v -> conn.handleShutdown());
      }
      ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (conn.metrics != null) {
        conn.metrics.disconnected(conn.metric, conn.remoteAddress);
      }
      conn.context.dispatch(v -> conn.handleClosed());
    }
  }

  /** Sends one envelope; on a closed connection it is dropped. */
  @Override
  public void send(Envelope envelope) {
    if (!channel.eventLoop().inEventLoop()) {
      channel.eventLoop().execute(() -> send(envelope));
      return;
    }
    if (!channel.isActive()) {
      return;
    }
    ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
    if (outbound != null && outbound.totalPendingWriteBytes() > options.getMaxPendingWriteBytes()) {
      close(CloseReason.SLOW_READER, null);
      return;
    }
    ByteBuf frame = EnvelopeCodec.encodeFrame(envelope, channel.alloc());
    chctx.writeAndFlush(frame, chctx.voidPromise());
  }

  /**
   * Sends one envelope, then closes once it is written (a refusal the peer should read before the
   * connection goes).
   */
  public void sendAndClose(Envelope envelope, CloseReason reason) {
    if (!channel.eventLoop().inEventLoop()) {
      channel.eventLoop().execute(() -> sendAndClose(envelope, reason));
      return;
    }
    if (closeReason == null) {
      closeReason = reason;
    }
    if (!channel.isActive()) {
      return;
    }
    ByteBuf frame = EnvelopeCodec.encodeFrame(envelope, channel.alloc());
    if (webSocket == null) {
      chctx.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
    } else {
      chctx.writeAndFlush(frame).addListener(f -> closeWebSocket(reason));
    }
  }

  /**
   * Called on the connection's event loop with {@code false} when its unsent output rises above
   * {@link ConnectionOptions#getWriteHighWaterBytes()}, and with {@code true} when it has drained
   * to half of that: an owner that stops reading the peer meanwhile ({@link #pauseReading}) keeps a
   * slow reader from piling up replies it does not read.
   */
  public MeshConnection writabilityHandler(Handler<Boolean> writabilityHandler) {
    this.writabilityHandler = writabilityHandler;
    return this;
  }

  /**
   * Stops ({@code true}) or resumes reading from the peer. Frames already read are still
   * delivered; no further bytes are read, so the heartbeat dead time still runs: a peer paused for
   * that long is closed.
   */
  public void pauseReading(boolean paused) {
    channel.config().setAutoRead(!paused);
  }

  /** Changes the largest frame body accepted from now on (e.g. raised once a peer has authenticated). */
  public void maxFrameBytes(int maxFrameBytes) {
    FrameDecoder decoder = chctx.pipeline().get(FrameDecoder.class);
    if (decoder != null) {
      decoder.maxFrameBytes(maxFrameBytes);
    }
    WebSocketFrames messages = chctx.pipeline().get(WebSocketFrames.class);
    if (messages != null) {
      messages.maxFrameBytes(maxFrameBytes);
    }
    WebSocketFrameAggregator aggregator = chctx.pipeline().get(WebSocketFrameAggregator.class);
    if (aggregator != null) {
      // Its limit is fixed when made. Called from the envelope handler, a message has just ended,
      // so no fragments are half gathered.
      chctx.pipeline().replace(aggregator, "weft-ws-aggregator", new WebSocketFrameAggregator(maxFrameBytes));
    }
  }

  private void writabilityChanged() {
    Handler<Boolean> h = writabilityHandler;
    if (h != null) {
      h.handle(channel.isWritable());
    }
  }

  /** True until the connection closes. */
  public boolean isOpen() {
    return closeReason == null && channel.isActive();
  }

  /** True while the outbound buffer is below its high-water mark. */
  public boolean isWritable() {
    return channel.isWritable();
  }

  public Future<Void> close() {
    return close(CloseReason.LOCAL, null);
  }

  private Future<Void> close(CloseReason reason, Throwable cause) {
    if (closeReason == null) {
      closeReason = reason;
      closeCause = cause;
    }
    if (webSocket != null) {
      return closeWebSocket(closeReason);
    }
    PromiseInternal<Void> closed = context.promise();
    channel.close().addListener(f -> closed.tryComplete());
    return closed.future();
  }

  /** Closes with the WebSocket closing handshake; its status says why (RFC 6455 section 7.4.1). */
  private Future<Void> closeWebSocket(CloseReason reason) {
    short status = switch (reason) {
      case PROTOCOL_ERROR -> 1002;
      case SLOW_READER -> 1008;
      default -> 1000;
    };
    return webSocket.close(status);
  }

  /** Called once, on the connection's context, when it has closed. */
  public MeshConnection closeHandler(Handler<CloseReason> closeHandler) {
    this.closeHandler = closeHandler;
    return this;
  }

  /**
   * Called instead of closing when Vert.x asks the connection to shut down gracefully: its server
   * is shutting down with a grace period ({@code NetServer.shutdown(timeout)}). The connection stays
   * open until the handler's owner closes it, or Vert.x does at the end of the grace period.
   */
  public MeshConnection shutdownHandler(Handler<Void> shutdownHandler) {
    this.shutdownHandler = shutdownHandler;
    return this;
  }

  private void handleShutdown() {
    Handler<Void> h = shutdownHandler;
    if (h != null) {
      h.handle(null);
    } else {
      close();
    }
  }

  /** Replaces the envelope handler (a connection may change hands after a handshake). */
  public MeshConnection handler(Handler<Envelope> handler) {
    this.handler = Objects.requireNonNull(handler, "handler");
    return this;
  }

  /** Why the connection closed, or {@code null} while it is open. */
  public CloseReason closeReason() {
    return closeReason;
  }

  /** The error behind {@link #closeReason()}, when there was one. */
  public Throwable closeCause() {
    return closeCause;
  }

  public SocketAddress remoteAddress() {
    return remoteAddress;
  }

  public SocketAddress localAddress() {
    java.net.SocketAddress local = channel.localAddress();
    return local instanceof InetSocketAddress inet ? SocketAddress.inetSocketAddress(inet) : null;
  }

  /** The context the connection's handlers run on. */
  public ContextInternal context() {
    return context;
  }

  /** Application state kept with the connection (the gate keeps its session here). */
  @SuppressWarnings("unchecked")
  public <T> T attachment() {
    return (T) attachment;
  }

  public void attachment(Object attachment) {
    this.attachment = attachment;
  }

  public Channel channel() {
    return channel;
  }

  private void handleMessage(Object msg) {
    if (!(msg instanceof ByteBuf frame)) {
      io.netty.util.ReferenceCountUtil.release(msg);
      return;
    }
    Envelope envelope;
    try {
      envelope = EnvelopeCodec.decode(frame);
    } catch (FrameException e) {
      frame.release();
      protocolError(e);
      return;
    }
    try {
      switch (envelope) {
        case Envelope.HeartbeatRequest h -> send(Envelope.HeartbeatResponse.INSTANCE);
        case Envelope.HeartbeatResponse h -> {
          // Its arrival already reset the idle timers.
        }
        default -> handler.handle(envelope);
      }
    } catch (RuntimeException e) {
      log.error("Handler failed on " + envelope.type() + " from " + remoteAddress(), e);
    } finally {
      frame.release();
    }
  }

  void protocolError(FrameException e) {
    if (log.isDebugEnabled()) {
      log.debug("Closing " + remoteAddress() + ": " + e.kind() + ": " + e.getMessage());
    }
    close(CloseReason.PROTOCOL_ERROR, e);
  }

  private void handleException(Throwable t) {
    Throwable cause = t instanceof DecoderException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof FrameException fe) {
      protocolError(fe);
    } else if (closeReason == null) {
      closeReason = CloseReason.PEER;
      closeCause = cause;
    }
  }

  private void markHeartbeatDead() {
    if (closeReason == null) {
      closeReason = CloseReason.HEARTBEAT_DEAD;
    }
  }

  private void handleClosed() {
    if (closeReason == null) {
      closeReason = CloseReason.PEER;
    }
    Handler<CloseReason> h = closeHandler;
    if (h != null) {
      h.handle(closeReason);
    }
  }

  @Override
  public String toString() {
    return "MeshConnection[" + remoteAddress() + (closeReason == null ? "" : ", closed: " + closeReason) + "]";
  }
}
