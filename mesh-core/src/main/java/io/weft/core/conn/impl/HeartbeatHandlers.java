package io.weft.core.conn.impl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.EnvelopeCodec;
import java.util.concurrent.TimeUnit;

/**
 * The two read-idle timers of PROTOCOL.md section 7, as Netty {@link IdleStateHandler}s placed
 * after the frame decoder, so only whole frames count as "received".
 * <p>
 * Their events are consumed here: Vert.x would otherwise close the connection on any idle event.
 */
public final class HeartbeatHandlers {

  /** {@code MSG_HEART_BEAT_REQ}, encoded once; written as duplicates, never released. */
  private static final ByteBuf HEARTBEAT_REQUEST_FRAME = Unpooled.unreleasableBuffer(
      EnvelopeCodec.encodeFrame(Envelope.HeartbeatRequest.INSTANCE, UnpooledByteBufAllocator.DEFAULT));

  private HeartbeatHandlers() {
  }

  /** After {@code idleMs} without a frame, sends one heartbeat request. */
  public static IdleStateHandler idle(long idleMs) {
    return new IdleStateHandler(idleMs, 0, 0, TimeUnit.MILLISECONDS) {
      @Override
      protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        if (evt.isFirst()) {
          ctx.writeAndFlush(HEARTBEAT_REQUEST_FRAME.duplicate(), ctx.voidPromise());
        }
      }
    };
  }

  /** After {@code deadMs} without a frame, runs {@code onDead} and closes the channel. */
  public static IdleStateHandler dead(long deadMs, Runnable onDead) {
    return new IdleStateHandler(deadMs, 0, 0, TimeUnit.MILLISECONDS) {
      @Override
      protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        onDead.run();
        ctx.close();
      }
    };
  }
}
