package io.weft.core.test;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An etcd of a test's own ({@code etcd} from the PATH, free loopback ports, a temporary data
 * directory), for the tests that kill, restart or wipe it. It keeps its ports across restarts,
 * so clients find it again.
 */
public final class EtcdProcess implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final Path dir;
  private final int clientPort = freePort();
  private final int peerPort = freePort();
  private Process process;

  private EtcdProcess(Path dir) {
    this.dir = dir;
  }

  /** Starts an etcd and waits until it is healthy. */
  public static EtcdProcess start() throws IOException {
    EtcdProcess etcd = new EtcdProcess(Files.createTempDirectory("weft-etcd"));
    etcd.startProcess();
    return etcd;
  }

  public String url() {
    return "http://127.0.0.1:" + clientPort;
  }

  /** SIGKILL, as a crash or an OOM kill would. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGSTOP: etcd stops answering but keeps its connections, as a stalled or overloaded server does. */
  public void pause() throws Exception {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause()}. */
  public void resume() throws Exception {
    signal("CONT");
  }

  private void signal(String name) throws Exception {
    int status = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    if (status != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " exited with " + status);
    }
  }

  /** Starts it again after {@link #kill()}, with its data, or with none at all: a brand new etcd. */
  public void restart(boolean wipeData) throws IOException {
    if (wipeData) {
      delete(dir.resolve("data"));
    }
    startProcess();
  }

  @Override
  public void close() throws Exception {
    kill();
    delete(dir);
  }

  private void startProcess() throws IOException {
    String peer = "http://127.0.0.1:" + peerPort;
    List<String> command = List.of("etcd", "--name", "weft-it", "--data-dir", dir.resolve("data").toString(),
        "--listen-client-urls", url(), "--advertise-client-urls", url(),
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", "weft-it=" + peer);
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(dir.toFile(), "etcd.log"))).start();
    } catch (IOException e) {
      throw new IOException("cannot run 'etcd' from the PATH (Debian: apt-get install etcd-server): " + e.getMessage(), e);
    }
    await("etcd at " + url() + " healthy (log: " + dir.resolve("etcd.log") + ")")
        .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(this::healthy);
  }

  private boolean healthy() {
    if (!process.isAlive()) {
      throw new IllegalStateException("etcd exited with " + process.exitValue() + "; see " + dir.resolve("etcd.log"));
    }
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/health"))
          .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("\"true\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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

  private static void delete(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> all = Files.walk(path)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
