package io.weft.core.codec;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * A business call as it travels inside {@code InnerRpc}: the method name and the still-encoded
 * args (PROTOCOL.md section 3). {@code argsOffset}/{@code argsLength} locate the args value
 * inside {@code bytes}, so reading the method name never copies the args.
 */
public record InnerRpc(String method, byte[] bytes, int argsOffset, int argsLength) {

  /**
   * The method name of an {@code InnerRpc}, read where it lies without decoding the args: what a
   * gate needs for per-method access, limits and retries. {@code null} when the bytes do not start
   * with a 2-element array and a string (the service will answer such a call 3).
   */
  public static String peekMethod(ByteBuf innerRpc) {
    int i = innerRpc.readerIndex();
    int end = innerRpc.writerIndex();
    if (end - i < 2 || (innerRpc.getByte(i) & 0xff) != 0x92) {
      return null;
    }
    i++;
    int b = innerRpc.getByte(i++) & 0xff;
    int length;
    if ((b & 0xe0) == 0xa0) {
      length = b & 0x1f;
    } else if (b == 0xd9 && i < end) {
      length = innerRpc.getByte(i++) & 0xff;
    } else if (b == 0xda && i + 1 < end) {
      length = innerRpc.getUnsignedShort(i);
      i += 2;
    } else {
      return null;
    }
    if (i + length > end) {
      return null;
    }
    return innerRpc.toString(i, length, StandardCharsets.UTF_8);
  }
}
