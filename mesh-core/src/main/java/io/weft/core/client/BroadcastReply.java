package io.weft.core.client;

import io.weft.core.Code;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.codec.CodecException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One instance's answer to a broadcast (docs/PROTOCOL.md section 11): its code, its error when
 * it failed, and its decoded reply when it succeeded.
 */
public record BroadcastReply<T>(Code code, String error, T value) {

  public boolean ok() {
    return code == Code.OK;
  }

  /** Decodes the gathered reply: instance id -> {Code, Error, Reply}. */
  @SuppressWarnings("unchecked")
  static <T> Map<String, BroadcastReply<T>> decodeAll(byte[] gathered, Class<T> replyType) {
    Map<String, Object> answers = ArgsCodec.decode(gathered, Map.class);
    if (answers == null) {
      throw new CodecException("a broadcast reply is a map, but was nil");
    }
    Map<String, BroadcastReply<T>> replies = new LinkedHashMap<>();
    answers.forEach((instance, value) -> {
      if (!(value instanceof Map<?, ?> answer)) {
        throw new CodecException("the answer of " + instance + " is not a map");
      }
      Object code = answer.get("Code");
      Code c = Code.of(code instanceof Number n ? n.intValue() : Code.UNKNOWN.value());
      Object error = answer.get("Error");
      T decoded = null;
      if (c == Code.OK && answer.get("Reply") instanceof byte[] reply && replyType != Void.class) {
        decoded = replyType == byte[].class ? (T) reply : ArgsCodec.decode(reply, replyType);
      }
      replies.put(instance, new BroadcastReply<>(c, error == null ? null : String.valueOf(error), decoded));
    });
    return replies;
  }
}
