package io.weft.core.client.impl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.Promise;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.callback.CallbackTable;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.codec.CodecException;
import io.weft.core.protocol.Envelope.RouteResponse;
import java.util.Objects;

/**
 * One call routed through a gate ({@code MSG_C2G_RPC_ROUTE}) and waiting in a
 * {@link CallbackTable} for its {@code MSG_G2C_RPC_RSP}: the promise to settle and the type to
 * decode the reply as. The {@link io.weft.core.client.MeshClient} and services calling other
 * services through their gates both keep their calls in flight as these.
 * <p>
 * A reply decodes as {@code byte[]} (the raw MessagePack), {@link io.weft.core.codec.RawValue},
 * {@code Void} (ignored) or, by Jackson, any other type; a reply that does not decode fails the
 * call with 13. An error answer fails it with a {@link MeshException} carrying the answer's code.
 */
public class PendingCall extends CallbackTable.Entry {

  /**
   * How much later than the gate's deadline a caller gives up on its own: enough for the gate's
   * answer (which says more) to arrive first, even on a cold JVM. Add it to the budget sent in
   * the route when putting the call in the table.
   */
  public static final long LOCAL_DEADLINE_GRACE_MS = 250;

  private static final byte[] NIL = {(byte) 0xc0};

  private final Promise<Object> promise;
  private final Class<?> replyType;

  @SuppressWarnings("unchecked")
  public PendingCall(Promise<?> promise, Class<?> replyType) {
    this.promise = (Promise<Object>) Objects.requireNonNull(promise, "promise");
    this.replyType = Objects.requireNonNull(replyType, "replyType");
  }

  /**
   * Settles the call with the gate's answer. Call it where the answer was received, while its
   * handler runs: the reply is copied out of the frame here.
   */
  public final void answered(RouteResponse r) {
    if (r.code() != Code.OK.value()) {
      fail(MeshException.fromWire(r.code(), r.error()));
      return;
    }
    if (replyType == Void.class) {
      promise.tryComplete(null);
      return;
    }
    ByteBuf reply = r.reply();
    succeed(reply == null ? NIL.clone() : ByteBufUtil.getBytes(reply));
  }

  /** Fails the call (a deadline, a lost connection, ...); a call already settled stays as it is. */
  public final void fail(MeshException e) {
    promise.tryFail(e);
  }

  /**
   * Receives the reply's bytes, copied out of the frame. This decodes them at once, on the thread
   * that received the answer; a subclass may hand them to another thread first, which then calls
   * {@link #complete(byte[])}.
   */
  protected void succeed(byte[] reply) {
    complete(reply);
  }

  /** Decodes the reply as the call's reply type and completes the call with it. */
  protected final void complete(byte[] reply) {
    if (replyType == byte[].class) {
      promise.tryComplete(reply);
      return;
    }
    try {
      promise.tryComplete(ArgsCodec.decode(reply, replyType));
    } catch (CodecException e) {
      promise.tryFail(MeshException.of(Code.INTERNAL, "cannot decode the reply: " + e.getMessage()));
    }
  }
}
