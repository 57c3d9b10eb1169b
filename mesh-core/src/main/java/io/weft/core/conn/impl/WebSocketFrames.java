package io.weft.core.conn.impl;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.weft.core.frame.FrameDecoder;
import io.weft.core.frame.FrameException;
import java.util.function.Consumer;

/**
 * Carries Weft frames in WebSocket messages (PROTOCOL.md section 2): each binary message is one
 * frame body, without the length prefix.
 * <pre>
 *   in:  BinaryWebSocketFrame(body)         -&gt;  body            (the frame's buffer, not a copy)
 *   out: [length: uint32 BE][body]           -&gt;  BinaryWebSocketFrame(body)  (a slice, not a copy)
 * </pre>
 * Messages come here whole (a {@code WebSocketFrameAggregator} before it joins fragments). An empty
 * message, one above the connection's current limit, or a text message breaks the protocol: it is
 * reported to {@code onViolation} and everything after it is dropped, as the TCP
 * {@link FrameDecoder} does. Ping, pong and close frames pass on to Vert.x, which answers them.
 */
public final class WebSocketFrames extends ChannelDuplexHandler {

  private final Consumer<FrameException> onViolation;
  private int maxFrameBytes;
  private boolean failed;

  public WebSocketFrames(int maxFrameBytes, Consumer<FrameException> onViolation) {
    this.onViolation = onViolation;
    maxFrameBytes(maxFrameBytes);
  }

  /** Changes the limit for the messages still to come; on the channel's event loop. */
  public void maxFrameBytes(int maxFrameBytes) {
    if (maxFrameBytes < 1) {
      throw new IllegalArgumentException("maxFrameBytes must be >= 1, but was " + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof BinaryWebSocketFrame frame) {
      if (failed) {
        frame.release();
        return;
      }
      ByteBuf body = frame.content();
      int length = body.readableBytes();
      if (length == 0 || length > maxFrameBytes) {
        frame.release();
        fail(length == 0
            ? new FrameException(FrameException.Kind.EMPTY, "WebSocket message is empty")
            : new FrameException(FrameException.Kind.TOO_LARGE,
                "WebSocket message of " + length + " bytes exceeds the limit of " + maxFrameBytes + " bytes"));
        return;
      }
      // The body's buffer is the frame's: whoever reads it next releases it.
      ctx.fireChannelRead(body);
    } else if (msg instanceof TextWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
      ReferenceCountUtil.release(msg);
      if (!failed) {
        fail(new FrameException(FrameException.Kind.MALFORMED, "text WebSocket messages carry no frames"));
      }
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void fail(FrameException e) {
    failed = true;
    onViolation.accept(e);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ByteBuf frame) {
      ctx.write(new BinaryWebSocketFrame(frame.skipBytes(FrameDecoder.LENGTH_FIELD_BYTES)), promise);
    } else {
      ctx.write(msg, promise);
    }
  }
}
