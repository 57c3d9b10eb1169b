package io.weft.core.test;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis of a test's own ({@code redis-server} from the PATH, a free loopback port, no
 * persistence), for the tests that kill, restart or pause it. It keeps its port across restarts,
 * so clients find it again; a restart loses the data, as a Redis without persistence does.
 */
public final class RedisProcess implements AutoCloseable {

  private final Path dir;
  private final int port = freePort();
  private Process process;

  private RedisProcess(Path dir) {
    this.dir = dir;
  }

  /** Starts a Redis and waits until it answers PING. */
  public static RedisProcess start() throws IOException {
    RedisProcess redis = new RedisProcess(Files.createTempDirectory("weft-redis"));
    redis.startProcess();
    return redis;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** SIGKILL, as a crash or an OOM kill would. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGSTOP: Redis stops answering but keeps its connections, as a stalled server does. */
  public void pause() throws Exception {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause()}. */
  public void resume() throws Exception {
    signal("CONT");
  }

  /** Starts it again after {@link #kill()}, empty. */
  public void restart() throws IOException {
    startProcess();
  }

  @Override
  public void close() throws Exception {
    kill();
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  private void signal(String name) throws Exception {
    int status = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    if (status != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " exited with " + status);
    }
  }

  private void startProcess() throws IOException {
    List<String> command = List.of("redis-server", "--bind", "127.0.0.1", "--port", Integer.toString(port),
        "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--daemonize", "no");
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(dir.toFile(), "redis.log"))).start();
    } catch (IOException e) {
      throw new IOException("cannot run 'redis-server' from the PATH (Debian: apt-get install redis-server): "
          + e.getMessage(), e);
    }
    await("redis at " + url() + " answering (log: " + dir.resolve("redis.log") + ")")
        .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(this::answers);
  }

  private boolean answers() {
    if (!process.isAlive()) {
      throw new IllegalStateException("redis-server exited with " + process.exitValue() + "; see "
          + dir.resolve("redis.log"));
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = in.readNBytes(7);
      return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
