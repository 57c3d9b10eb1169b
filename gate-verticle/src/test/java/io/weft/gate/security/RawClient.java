package io.weft.gate.security;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.EnvelopeCodec;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** A blocking socket speaking (or breaking) the frame protocol, for hostile-input tests. */
final class RawClient implements AutoCloseable {

  final Socket socket;
  private final DataInputStream in;

  RawClient(int port) throws IOException {
    this(InetAddress.getLoopbackAddress(), port);
  }

  /** Connects from {@code local} (any 127.x.y.z works on Linux), to tell clients' addresses apart. */
  RawClient(InetAddress local, int port) throws IOException {
    socket = new Socket();
    socket.setReuseAddress(true);
    if (!local.equals(InetAddress.getLoopbackAddress())) {
      socket.bind(new InetSocketAddress(local, 0));
    }
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
    socket.setTcpNoDelay(true);
    in = new DataInputStream(socket.getInputStream());
  }

  static byte[] frame(Envelope envelope) {
    ByteBuf buf = EnvelopeCodec.encodeFrame(envelope, UnpooledByteBufAllocator.DEFAULT);
    try {
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  RawClient send(Envelope envelope) throws IOException {
    return write(frame(envelope));
  }

  RawClient write(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /**
   * The next envelope, or {@code null} when the gate closed the connection; waits up to
   * {@code timeoutMs} (a {@link SocketTimeoutException} after that).
   */
  Envelope read(int timeoutMs) throws IOException {
    socket.setSoTimeout(timeoutMs);
    try {
      int length = in.readInt();
      byte[] body = new byte[length];
      in.readFully(body);
      return EnvelopeCodec.decode(Unpooled.wrappedBuffer(body));
    } catch (EOFException e) {
      return null;
    } catch (IOException e) {
      if (e instanceof SocketTimeoutException) {
        throw e;
      }
      return null; // reset by the gate
    }
  }

  /** True when the gate closes the connection within {@code timeoutMs}, skipping what it sends before. */
  boolean closedWithin(int timeoutMs) throws IOException {
    long end = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < end) {
      try {
        if (read((int) Math.max(1, end - System.currentTimeMillis())) == null) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (RuntimeException e) {
        // garbage back is not a close; keep reading
      }
    }
    return false;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
