package io.weft.launcher.impl;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServerOptions;
import io.weft.core.conn.ConnectionOptions;
import io.weft.core.frame.FrameDecoder;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weft echo-server}: returns every frame unchanged, as fast as a framed connection can. It
 * is the "no hop" limit the gate is measured against, with the same framing and flush
 * consolidation as Weft's connections and nothing else.
 */
@Command(name = "echo-server", description = "Echo every frame back unchanged (the no-hop bench limit).")
public final class EchoServerCommand implements Callable<Integer> {

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "7100", description = "Port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--event-loops", defaultValue = "1", description = "Event loops (default: ${DEFAULT-VALUE}).")
  int eventLoops;

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    int actual = start(vertx, host, port).await(10, TimeUnit.SECONDS);
    System.out.println("weft echo-server listening on " + host + ":" + actual);
    CountDownLatch forever = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      vertx.close();
      forever.countDown();
    }));
    forever.await();
    return 0;
  }

  /** Starts an echo server on {@code vertx}; the future holds its port. */
  public static io.vertx.core.Future<Integer> start(Vertx vertx, String host, int port) {
    int maxFrame = ConnectionOptions.DEFAULT_MAX_FRAME_BYTES;
    var server = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true))
        .connectHandler(socket -> {
          NetSocketInternal internal = (NetSocketInternal) socket;
          ChannelHandlerContext chctx = internal.channelHandlerContext();
          chctx.pipeline().addBefore("handler", "flush", new FlushConsolidationHandler(256, true));
          chctx.pipeline().addBefore("handler", "frame", new FrameDecoder(maxFrame));
          internal.messageHandler(msg -> {
            if (msg instanceof ByteBuf frame) {
              // The body goes back as it came, behind a new length prefix: no copy of the body.
              chctx.write(chctx.alloc().ioBuffer(4).writeInt(frame.readableBytes()), chctx.voidPromise());
              chctx.writeAndFlush(frame, chctx.voidPromise());
            }
          });
        });
    return server.listen().map(io.vertx.core.net.NetServer::actualPort);
  }
}
