package io.weft.core.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.jackson.dataformat.MessagePackFactory;
import org.msgpack.value.ValueType;

/**
 * Maps business args and replies (records, POJOs, maps) to MessagePack and back with Jackson
 * ({@code jackson-dataformat-msgpack}), and builds or splits the {@code [method, args]} array
 * carried in {@code InnerRpc}.
 * <p>
 * Java properties map to the protocol's UpperCamelCase keys: a record component {@code text}
 * is the key {@code Text}. Unknown keys are ignored, so peers may add fields. Nesting deeper than
 * {@link #MAX_NESTING_DEPTH} is refused rather than risking the stack.
 */
public final class ArgsCodec {

  /** Deepest nesting of arrays and maps accepted in args. */
  public static final int MAX_NESTING_DEPTH = 64;

  private static final ObjectMapper MAPPER = newMapper();
  private static final byte[] NIL = {(byte) 0xc0};

  private ArgsCodec() {
  }

  /** The shared, configured mapper (thread-safe). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  private static ObjectMapper newMapper() {
    MessagePackFactory factory = new MessagePackFactory();
    factory.setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
    ObjectMapper mapper = new ObjectMapper(factory);
    mapper.setPropertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE);
    mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    mapper.configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);
    return mapper;
  }

  /** Encodes one value; {@code null} becomes nil and a {@link RawValue} is written as is. */
  public static byte[] encode(Object value) {
    if (value == null) {
      return NIL.clone();
    }
    if (value instanceof RawValue raw) {
      return raw.bytes();
    }
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new CodecException("cannot encode " + value.getClass().getName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /** Decodes one value of {@code type}; {@link RawValue} takes the bytes as they are. */
  public static <T> T decode(byte[] bytes, int offset, int length, Class<T> type) {
    if (type == RawValue.class) {
      byte[] copy = offset == 0 && length == bytes.length ? bytes : java.util.Arrays.copyOfRange(bytes, offset, offset + length);
      return type.cast(RawValue.of(copy));
    }
    return decode(bytes, offset, length, MAPPER.constructType(type));
  }

  /** Decodes one value of a generic {@code type}. */
  public static <T> T decode(byte[] bytes, int offset, int length, JavaType type) {
    try {
      if (length > MAX_NESTING_DEPTH) {
        // Each level takes at least one byte, so shorter args cannot nest too deep.
        checkNesting(bytes, offset, length);
      }
      return MAPPER.readValue(bytes, offset, length, type);
    } catch (IOException | RuntimeException e) {
      String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
      throw new CodecException("cannot decode " + type.toCanonical() + ": " + message, e);
    }
  }

  public static <T> T decode(byte[] bytes, Class<T> type) {
    return decode(bytes, 0, bytes.length, type);
  }

  /** Encodes the {@code [method, args]} array of an {@code InnerRpc}. */
  public static byte[] encodeInnerRpc(String method, Object args) {
    byte[] encodedArgs = encode(args);
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      packer.packArrayHeader(2);
      packer.packString(method);
      packer.writePayload(encodedArgs);
      return packer.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
  }

  /**
   * Splits an {@code InnerRpc} into its method name and args without copying the args.
   *
   * @throws CodecException when the bytes are not a {@code [str, any]} array
   */
  public static InnerRpc decodeInnerRpc(byte[] bytes) {
    return INNER_RPC_READER.get().read(bytes);
  }

  private static final io.netty.util.concurrent.FastThreadLocal<InnerRpcReader> INNER_RPC_READER =
      new io.netty.util.concurrent.FastThreadLocal<>() {
        @Override
        protected InnerRpcReader initialValue() {
          return new InnerRpcReader();
        }
      };

  /** Splits {@code InnerRpc}s with one reusable unpacker per thread (a service host's event loop). */
  private static final class InnerRpcReader {
    private final org.msgpack.core.buffer.ArrayBufferInput input = new org.msgpack.core.buffer.ArrayBufferInput(new byte[0]);
    private final MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(input);
    private final io.weft.core.protocol.impl.StringCache methods = new io.weft.core.protocol.impl.StringCache();

    InnerRpc read(byte[] bytes) {
      try {
        input.reset(bytes);
        unpacker.reset(input);
        if (!unpacker.hasNext() || unpacker.getNextFormat().getValueType() != ValueType.ARRAY
            || unpacker.unpackArrayHeader() != 2) {
          throw new CodecException("InnerRpc is not a [method, args] array");
        }
        MessageFormat format = unpacker.getNextFormat();
        if (format.getValueType() != ValueType.STRING) {
          throw new CodecException("InnerRpc method is not a string");
        }
        String method;
        int at = (int) unpacker.getTotalReadBytes();
        if (format == MessageFormat.FIXSTR && at + 1 + (bytes[at] & 0x1f) <= bytes.length) {
          // Method names repeat call after call: decode each once.
          method = methods.get(bytes, at + 1, bytes[at] & 0x1f);
          unpacker.skipValue();
        } else {
          method = unpacker.unpackString();
        }
        int argsOffset = (int) unpacker.getTotalReadBytes();
        unpacker.skipValue();
        int argsEnd = (int) unpacker.getTotalReadBytes();
        if (unpacker.hasNext()) {
          throw new CodecException("bytes follow the InnerRpc array");
        }
        return new InnerRpc(method, bytes, argsOffset, argsEnd - argsOffset);
      } catch (IOException | MessagePackException e) {
        throw new CodecException("InnerRpc is not valid MessagePack: " + e.getMessage(), e);
      }
    }
  }

  /** Renders MessagePack as JSON (binary as base64), for tools and logs. */
  public static String toJson(byte[] bytes) {
    try {
      JsonNode node = MAPPER.readTree(bytes);
      return new ObjectMapper().writeValueAsString(node);
    } catch (IOException | RuntimeException e) {
      throw new CodecException("not valid MessagePack: " + e.getMessage(), e);
    }
  }

  /** Encodes JSON text as MessagePack, for tools. */
  public static byte[] fromJson(String json) {
    try {
      JsonNode node = new ObjectMapper().readTree(json.getBytes(StandardCharsets.UTF_8));
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new CodecException("not valid JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Refuses values nested deeper than {@link #MAX_NESTING_DEPTH} before Jackson sees them: a
   * hostile peer must not be able to exhaust a handler's stack or the mapper's buffers.
   */
  private static void checkNesting(byte[] bytes, int offset, int length) throws IOException {
    try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes, offset, length)) {
      // remaining[d] = values still to read at depth d
      long[] remaining = new long[MAX_NESTING_DEPTH + 2];
      int depth = 0;
      remaining[0] = 1;
      while (depth >= 0) {
        if (remaining[depth] == 0) {
          depth--;
          continue;
        }
        remaining[depth]--;
        MessageFormat format = unpacker.getNextFormat();
        switch (format.getValueType()) {
          case ARRAY -> {
            int n = unpacker.unpackArrayHeader();
            if (n > 0) {
              if (++depth > MAX_NESTING_DEPTH) {
                throw new CodecException("args nest deeper than " + MAX_NESTING_DEPTH + " levels");
              }
              remaining[depth] = n;
            }
          }
          case MAP -> {
            int n = unpacker.unpackMapHeader();
            if (n > 0) {
              if (++depth > MAX_NESTING_DEPTH) {
                throw new CodecException("args nest deeper than " + MAX_NESTING_DEPTH + " levels");
              }
              remaining[depth] = 2L * n;
            }
          }
          default -> unpacker.skipValue();
        }
      }
    }
  }
}
