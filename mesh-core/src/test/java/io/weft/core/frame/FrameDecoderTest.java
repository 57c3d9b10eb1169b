package io.weft.core.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

  private static final int MAX = 64;

  private final List<ByteBuf> bodies = new ArrayList<>();
  private final EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX));

  @AfterEach
  void releaseEverything() {
    bodies.forEach(ByteBuf::release);
    channel.finishAndReleaseAll();
  }

  private static byte[] frame(byte[] body) {
    return frame(body.length, body);
  }

  private static byte[] frame(long lengthField, byte[] body) {
    ByteBuf buf = Unpooled.buffer(4 + body.length);
    buf.writeInt((int) lengthField).writeBytes(body);
    return ByteBufUtil.getBytes(buf);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[]... parts) {
    ByteBuf buf = Unpooled.buffer();
    for (byte[] part : parts) {
      buf.writeBytes(part);
    }
    return ByteBufUtil.getBytes(buf);
  }

  private static byte[] filled(int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  /** Writes {@code bytes} as one read; returns whether a body came out. */
  private boolean feed(byte[] bytes) {
    return channel.writeInbound(Unpooled.wrappedBuffer(bytes));
  }

  /** Everything the decoder emitted so far, as byte arrays (the buffers are released after the test). */
  private List<byte[]> emitted() {
    List<byte[]> out = new ArrayList<>();
    ByteBuf body;
    while ((body = channel.readInbound()) != null) {
      bodies.add(body);
      out.add(ByteBufUtil.getBytes(body));
    }
    return out;
  }

  private static void assertRefused(Runnable write, FrameException.Kind kind) {
    assertThatThrownBy(write::run)
        .isInstanceOf(DecoderException.class)
        .cause()
        .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }

  @Test
  void refusesANonPositiveLimit() {
    assertThatThrownBy(() -> new FrameDecoder(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxFrameBytes must be >= 1, but was 0");
  }

  @Test
  void emitsTheBodyOfOneFrame() {
    assertThat(feed(frame(bytes("hello")))).isTrue();

    assertThat(emitted()).containsExactly(bytes("hello"));
  }

  @Test
  void assemblesAFrameFedOneByteAtATime() {
    byte[] wire = frame(bytes("one byte at a time"));
    for (int i = 0; i < wire.length - 1; i++) {
      assertThat(feed(new byte[] {wire[i]})).as("after byte %d", i).isFalse();
    }
    assertThat(feed(new byte[] {wire[wire.length - 1]})).isTrue();

    assertThat(emitted()).containsExactly(bytes("one byte at a time"));
  }

  @Test
  void emitsEveryFrameOfOneRead() {
    feed(concat(frame(bytes("a")), frame(bytes("bb")), frame(bytes("ccc"))));

    assertThat(emitted()).containsExactly(bytes("a"), bytes("bb"), bytes("ccc"));
  }

  @Test
  void assemblesAFrameSplitAcrossThreeReads() {
    byte[] wire = frame(bytes("split in three"));

    assertThat(feed(Arrays.copyOfRange(wire, 0, 2))).isFalse();
    assertThat(feed(Arrays.copyOfRange(wire, 2, 9))).isFalse();
    assertThat(feed(Arrays.copyOfRange(wire, 9, wire.length))).isTrue();

    assertThat(emitted()).containsExactly(bytes("split in three"));
  }

  @Test
  void keepsTheStartOfTheNextFrameForTheNextRead() {
    byte[] second = frame(bytes("second"));
    feed(concat(frame(bytes("first")), Arrays.copyOfRange(second, 0, 6)));
    assertThat(emitted()).containsExactly(bytes("first"));

    feed(Arrays.copyOfRange(second, 6, second.length));

    assertThat(emitted()).containsExactly(bytes("second"));
  }

  @Test
  void acceptsAFrameOfExactlyTheLimit() {
    feed(frame(filled(MAX)));

    assertThat(emitted()).containsExactly(filled(MAX));
  }

  @Test
  void refusesAFrameOneByteOverTheLimit() {
    assertRefused(() -> feed(frame(filled(MAX + 1))), FrameException.Kind.TOO_LARGE);
    assertThat(emitted()).isEmpty();
  }

  @Test
  void refusesALengthOfZero() {
    assertRefused(() -> feed(new byte[] {0, 0, 0, 0}), FrameException.Kind.EMPTY);
    assertThat(emitted()).isEmpty();
  }

  @Test
  void readsTheLengthAsUnsigned() {
    assertRefused(() -> feed(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}),
        FrameException.Kind.TOO_LARGE);
  }

  @Test
  void refusesAnOversizeClaimAsSoonAsTheHeaderArrivesWithoutWaitingForTheBody() {
    assertThat(feed(new byte[] {0, 0})).isFalse();

    // Only the second half of the header is sent: no body byte ever arrives.
    assertRefused(() -> feed(new byte[] {0x10, 0x00}), FrameException.Kind.TOO_LARGE);
  }

  @Test
  void reportsTheClaimedLengthAndTheLimit() {
    assertThatThrownBy(() -> feed(frame(1_000_000, new byte[0])))
        .cause()
        .hasMessage("frame length 1000000 exceeds the limit of 64 bytes");
  }

  @Test
  void emitsTheFramesBeforeARefusedOneInTheSameRead() {
    assertRefused(() -> feed(concat(frame(bytes("ok")), frame(MAX + 1, new byte[0]))),
        FrameException.Kind.TOO_LARGE);

    assertThat(emitted()).containsExactly(bytes("ok"));
  }

  @Test
  void discardsEverythingAfterARefusal() {
    ByteBuf refused = Unpooled.wrappedBuffer(concat(frame(0, new byte[0]), frame(bytes("same read"))));
    assertRefused(() -> channel.writeInbound(refused), FrameException.Kind.EMPTY);
    assertThat(refused.refCnt()).as("the refused read is released").isZero();

    ByteBuf later = Unpooled.wrappedBuffer(frame(bytes("valid but too late")));
    assertThat(channel.writeInbound(later)).isFalse();
    channel.checkException();

    assertThat(emitted()).isEmpty();
    assertThat(later.refCnt()).as("later reads are released").isZero();
  }

  @Test
  void emitsASliceOfTheReadBufferInsteadOfACopy() {
    ByteBuf read = Unpooled.buffer(16).writeBytes(frame(bytes("no copy")));
    channel.writeInbound(read);

    ByteBuf body = channel.readInbound();
    bodies.add(body);

    assertThat(body.unwrap()).isSameAs(read);
    assertThat(body.array()).isSameAs(read.array());
    assertThat(body.arrayOffset() + body.readerIndex()).isEqualTo(read.arrayOffset() + 4);
    read.setByte(4, 'N');
    assertThat(body.toString(StandardCharsets.US_ASCII)).isEqualTo("No copy");
  }

  @Test
  void emittedBodiesHoldTheReadBufferUntilReleased() {
    ByteBuf read = Unpooled.wrappedBuffer(concat(frame(bytes("a")), frame(bytes("b"))));
    channel.writeInbound(read);
    ByteBuf first = channel.readInbound();
    ByteBuf second = channel.readInbound();

    // The decoder let go of the read; the two retained slices keep it alive.
    assertThat(read.refCnt()).isEqualTo(2);
    assertThat(first.release()).isFalse();
    assertThat(second.release()).isTrue();
    assertThat(read.refCnt()).isZero();
  }

  @Test
  void leavesNothingBufferedAfterWholeFrames() {
    ByteBuf read = Unpooled.wrappedBuffer(frame(bytes("x")));
    channel.writeInbound(read);
    emitted();

    assertThat(channel.finish()).as("nothing left over").isFalse();
    bodies.forEach(ByteBuf::release);
    bodies.clear();
    assertThat(read.refCnt()).isZero();
  }

  @Test
  void releasesAPartialFrameWhenTheChannelCloses() {
    ByteBuf read = Unpooled.wrappedBuffer(Arrays.copyOf(frame(bytes("unfinished")), 7));
    channel.writeInbound(read);

    assertThat(channel.finish()).isFalse();
    assertThat(read.refCnt()).isZero();
  }
}
