package io.weft.gate.impl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * The answers of every instance to a broadcast call, gathered into one reply (docs/PROTOCOL.md
 * section 10): a map from instance id to {@code {Code, Error, Reply}}.
 */
final class BroadcastGather {

  private record Answer(int code, String error, byte[] reply) {
  }

  final PendingRoute whole;
  private final Map<String, Answer> answers = new LinkedHashMap<>();
  private int outstanding;

  BroadcastGather(PendingRoute whole, int instances) {
    this.whole = whole;
    this.outstanding = instances;
  }

  /** Records one instance's answer; true when it was the last one awaited. */
  boolean answered(String instance, int code, String error, ByteBuf reply) {
    if (answers.containsKey(instance)) {
      return false;
    }
    answers.put(instance, new Answer(code, error, reply == null ? null : ByteBufUtil.getBytes(reply)));
    return --outstanding == 0;
  }

  boolean complete() {
    return outstanding == 0;
  }

  ByteBuf reply() {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      packer.packMapHeader(answers.size());
      for (Map.Entry<String, Answer> e : answers.entrySet()) {
        Answer a = e.getValue();
        packer.packString(e.getKey());
        packer.packMapHeader(1 + (a.error == null || a.error.isEmpty() ? 0 : 1) + (a.reply == null ? 0 : 1));
        packer.packString("Code").packInt(a.code);
        if (a.error != null && !a.error.isEmpty()) {
          packer.packString("Error").packString(a.error);
        }
        if (a.reply != null) {
          packer.packString("Reply").packBinaryHeader(a.reply.length).writePayload(a.reply);
        }
      }
      return Unpooled.wrappedBuffer(packer.toByteArray());
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
  }
}
