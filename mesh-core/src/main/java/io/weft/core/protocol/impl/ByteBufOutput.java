package io.weft.core.protocol.impl;

import io.netty.buffer.ByteBuf;
import org.msgpack.core.buffer.MessageBuffer;
import org.msgpack.core.buffer.MessageBufferOutput;

/**
 * Lets a msgpack-core {@code MessagePacker} append to a Netty {@link ByteBuf}. The packer fills a
 * reusable scratch array which is copied to the target on each flush; large payloads go straight
 * to the target.
 */
public final class ByteBufOutput implements MessageBufferOutput {

  private static final int SCRATCH_BYTES = 8192;

  private final byte[] scratch = new byte[SCRATCH_BYTES];
  private final MessageBuffer scratchBuffer = MessageBuffer.wrap(scratch);
  private byte[] current = scratch;
  private ByteBuf target;

  public void target(ByteBuf target) {
    this.target = target;
  }

  public ByteBuf target() {
    return target;
  }

  @Override
  public MessageBuffer next(int minimumSize) {
    if (minimumSize <= SCRATCH_BYTES) {
      current = scratch;
      return scratchBuffer;
    }
    current = new byte[minimumSize];
    return MessageBuffer.wrap(current);
  }

  @Override
  public void writeBuffer(int length) {
    target.writeBytes(current, 0, length);
    current = scratch;
  }

  @Override
  public void write(byte[] buffer, int offset, int length) {
    target.writeBytes(buffer, offset, length);
  }

  @Override
  public void add(byte[] buffer, int offset, int length) {
    target.writeBytes(buffer, offset, length);
  }

  @Override
  public void close() {
    target = null;
  }

  @Override
  public void flush() {
  }
}
