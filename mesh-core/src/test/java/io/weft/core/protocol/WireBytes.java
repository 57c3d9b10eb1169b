package io.weft.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * Builds frame bodies by hand, independently of {@link EnvelopeCodec}, and takes encoded ones apart.
 * Values map to MessagePack as: {@code String} str, {@code Number} int (smallest width) or float,
 * {@code byte[]} bin, {@code Boolean} bool, {@code null} nil, {@code List} array, {@code Map} map, and
 * {@link Raw} as its bytes verbatim (for hand-picked encodings).
 */
final class WireBytes {

  /** Already-encoded MessagePack, written as is. */
  record Raw(byte[] bytes) {
  }

  private WireBytes() {
  }

  static Raw raw(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return new Raw(b);
  }

  /** An int of {@code prefix}'s format: the prefix byte, then {@code size} big-endian bytes of {@code value}. */
  static Raw intOf(int prefix, int size, long value) {
    byte[] b = new byte[1 + size];
    b[0] = (byte) prefix;
    for (int i = 0; i < size; i++) {
      b[size - i] = (byte) (value >>> (8 * i));
    }
    return new Raw(b);
  }

  /** An insertion-ordered map of alternating keys and values; both may be of any supported type, or null. */
  static Map<Object, Object> map(Object... keysAndValues) {
    Map<Object, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** The body {@code [name, args]}. */
  static byte[] body(Object name, Object args) {
    return msgpack(Arrays.asList(name, args));
  }

  static byte[] msgpack(Object value) {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      pack(packer, value);
      return packer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] concat(byte[]... parts) {
    ByteBuf buf = Unpooled.buffer();
    for (byte[] part : parts) {
      buf.writeBytes(part);
    }
    return ByteBufUtil.getBytes(buf);
  }

  private static void pack(MessagePacker packer, Object value) throws IOException {
    switch (value) {
      case null -> packer.packNil();
      case Raw raw -> packer.writePayload(raw.bytes());
      case String s -> packer.packString(s);
      case Boolean b -> packer.packBoolean(b);
      case Double d -> packer.packDouble(d);
      case Number n -> packer.packLong(n.longValue());
      case byte[] bin -> packer.packBinaryHeader(bin.length).writePayload(bin);
      case List<?> list -> {
        packer.packArrayHeader(list.size());
        for (Object element : list) {
          pack(packer, element);
        }
      }
      case Map<?, ?> map -> {
        packer.packMapHeader(map.size());
        for (Map.Entry<?, ?> entry : map.entrySet()) {
          pack(packer, entry.getKey());
          pack(packer, entry.getValue());
        }
      }
      default -> throw new IllegalArgumentException("cannot pack " + value.getClass());
    }
  }

  /** Encodes a body with the codec under test. */
  static byte[] encode(Envelope envelope) {
    ByteBuf body = EnvelopeCodec.encodeBody(envelope, UnpooledByteBufAllocator.DEFAULT);
    try {
      return ByteBufUtil.getBytes(body);
    } finally {
      body.release();
    }
  }

  /** Decodes a body with the codec under test. */
  static Envelope decode(byte[] body) {
    return EnvelopeCodec.decode(Unpooled.wrappedBuffer(body));
  }

  /** Reads a body with plain msgpack-core: element 0 is the name, element 1 the args. */
  static List<Value> unpack(byte[] body) {
    try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(body)) {
      List<Value> array = unpacker.unpackValue().asArrayValue().list();
      if (unpacker.hasNext()) {
        throw new AssertionError("bytes follow the body");
      }
      return array;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The args map of a body, keyed by string (every key the codec writes is a str). */
  static Map<String, Value> args(byte[] body) {
    Map<String, Value> args = new LinkedHashMap<>();
    unpack(body).get(1).asMapValue().map().forEach((k, v) -> args.put(k.asStringValue().asString(), v));
    return args;
  }

  static ByteBuf buf(byte[] bytes) {
    return Unpooled.wrappedBuffer(bytes);
  }

  static ByteBuf buf(String ascii) {
    return Unpooled.wrappedBuffer(ascii.getBytes(StandardCharsets.US_ASCII));
  }
}
