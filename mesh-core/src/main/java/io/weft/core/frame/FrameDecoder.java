package io.weft.core.frame;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a TCP byte stream into frame bodies.
 *
 * <pre>
 * +--------------------+-------------------------------------------+
 * | length: uint32 BE  | body: `length` bytes                      |
 * +--------------------+-------------------------------------------+
 * </pre>
 *
 * Each body is emitted as a retained slice of the read buffer, so the body is never copied; the
 * receiver releases it. The length is checked against the limit as soon as its four bytes are
 * read, before any of the body is buffered: a length of 0 or above {@code maxFrameBytes} raises a
 * {@link FrameException}, after which every further byte is discarded and the connection closes.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

  /** Bytes taken by the length field. */
  public static final int LENGTH_FIELD_BYTES = 4;

  private int maxFrameBytes;
  private boolean failed;

  public FrameDecoder(int maxFrameBytes) {
    maxFrameBytes(maxFrameBytes);
  }

  /** Changes the limit for the frames still to come; on the channel's event loop. */
  public void maxFrameBytes(int maxFrameBytes) {
    if (maxFrameBytes < 1) {
      throw new IllegalArgumentException("maxFrameBytes must be >= 1, but was " + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < LENGTH_FIELD_BYTES) {
      return;
    }
    long length = in.getUnsignedInt(in.readerIndex());
    if (length == 0 || length > maxFrameBytes) {
      failed = true;
      in.skipBytes(in.readableBytes());
      throw length == 0
          ? new FrameException(FrameException.Kind.EMPTY, "frame length is 0")
          : new FrameException(FrameException.Kind.TOO_LARGE,
              "frame length " + length + " exceeds the limit of " + maxFrameBytes + " bytes");
    }
    if (in.readableBytes() < LENGTH_FIELD_BYTES + length) {
      return;
    }
    in.skipBytes(LENGTH_FIELD_BYTES);
    out.add(in.readRetainedSlice((int) length));
  }
}
