package io.weft.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.test.RedisProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link RedisSessionDirectory} across Redis crashes and stalls, on a Redis of the test's own that
 * it kills, restarts and pauses. The same directory object must work again once Redis is back, and
 * no call may hang while it is away.
 */
@ExtendWith(VertxExtension.class)
class RedisRestartIT {

  private static final long TIMEOUT_MS = 300;

  private RedisProcess redis;
  private SessionDirectory directory;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    redis = RedisProcess.start();
    directory = SessionDirectories.create(vertx, new SessionOptions().setType(SessionOptions.Type.REDIS)
        .setConnectionString(redis.url()).setTimeoutMs(TIMEOUT_MS));
    // A cold JVM's first call (classes, connection, scripts) may take longer than the short timeout.
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> done(directory.lookup("warm-up")) == null);
  }

  @AfterEach
  void stop() throws Exception {
    directory.close().await(10, TimeUnit.SECONDS);
    redis.close();
  }

  private static <T> T done(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  /** Completes (it must, soon after the call's timeout) and tells whether it failed. */
  private static boolean fails(Future<?> future) throws Exception {
    try {
      future.toCompletionStage().toCompletableFuture().get(TIMEOUT_MS * 10, TimeUnit.MILLISECONDS);
      return false;
    } catch (TimeoutException e) {
      throw new AssertionError("the call neither succeeded nor failed within 10 timeouts", e);
    } catch (ExecutionException e) {
      return true;
    }
  }

  @Test
  void afterACrashAndRestartTheSameDirectoryWorksAgainAndGatesLearnToBindAgain() throws Exception {
    Session alice = new Session("alice", "g:1", "c1", 1);
    done(directory.bind(alice));
    assertThat(done(directory.lookup("alice"))).isEqualTo(alice);

    redis.kill();
    assertThat(fails(directory.lookup("alice"))).isTrue();
    assertThat(fails(directory.bind(new Session("bob", "g:1", "c2", 2)))).isTrue();
    redis.restart(); // empty: this Redis keeps nothing

    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> done(directory.lookup("alice")) == null);
    assertThat(done(directory.refresh("alice", "c1"))).as("the gate learns its binding is gone").isFalse();
    assertThat(done(directory.bind(alice))).isNull();
    assertThat(done(directory.lookup("alice"))).isEqualTo(alice);
    assertThat(done(directory.unbind("alice", "c1"))).isTrue();
  }

  @Test
  void whileRedisIsStalledCallsFailWithinTheirTimeoutAndLaterOnesSucceed() throws Exception {
    done(directory.bind(new Session("carol", "g:1", "c1", 1)));
    redis.pause();
    try {
      assertThat(fails(directory.lookup("carol"))).isTrue();
      assertThat(fails(directory.bind(new Session("carol", "g:2", "c2", 2)))).isTrue();
      // Long enough for the stalled connections to be given up on, as a dead host's would be.
      Thread.sleep(TIMEOUT_MS * 7);
    } finally {
      redis.resume();
    }
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> done(directory.lookup("carol")) != null);
    assertThat(done(directory.bind(new Session("carol", "g:3", "c3", 3)))).isNotNull();
  }

  @Test
  void aCallThatTimedOutWaitingForAConnectionIsNeverSent(Vertx vertx) throws Exception {
    SessionDirectory onePool = SessionDirectories.create(vertx, new SessionOptions().setType(SessionOptions.Type.REDIS)
        .setConnectionString(redis.url()).setTimeoutMs(TIMEOUT_MS).setMaxPoolSize(1));
    try {
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> done(onePool.lookup("warm-up")) == null);
      redis.pause();
      try {
        Future<Session> holdsTheConnection = onePool.lookup("dave");
        Future<Session> waitsForIt = onePool.bind(new Session("dave", "g:1", "late", 1));
        assertThat(fails(holdsTheConnection)).isTrue();
        assertThat(fails(waitsForIt)).isTrue();
      } finally {
        redis.resume(); // before the stalled connection is given up: it answers, and is free again
      }
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> done(onePool.lookup("eve")) == null);
      assertThat(done(directory.lookup("dave"))).as("the late bind was dropped").isNull();
    } finally {
      done(onePool.close());
    }
  }

  @Test
  void connectionsToAServerThatNeverAnswersAreClosed(Vertx vertx) throws Exception {
    try (SilentServer silent = new SilentServer()) {
      SessionDirectory lost = SessionDirectories.create(vertx, new SessionOptions().setType(SessionOptions.Type.REDIS)
          .setConnectionString(silent.url()).setTimeoutMs(TIMEOUT_MS).setMaxPoolSize(2));
      try {
        for (int i = 0; i < 3; i++) {
          assertThat(fails(lost.lookup("frank"))).isTrue();
        }
        await().atMost(Duration.ofSeconds(20))
            .until(() -> silent.accepted.get() > 0 && silent.closedByClient.get() == silent.accepted.get());
      } finally {
        done(lost.close());
      }
    }
  }

  /** Accepts connections and never answers, like a host that vanished behind a live socket. */
  private static final class SilentServer implements AutoCloseable {
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger closedByClient = new AtomicInteger();
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

    SilentServer() throws IOException {
      Thread.ofVirtual().start(() -> {
        while (!socket.isClosed()) {
          try {
            Socket s = socket.accept();
            accepted.incrementAndGet();
            Thread.ofVirtual().start(() -> drain(s));
          } catch (IOException e) {
            return;
          }
        }
      });
    }

    private void drain(Socket s) {
      try (s; InputStream in = s.getInputStream()) {
        while (in.read() >= 0) {
          // Read and ignore what the client sends (HELLO ...) until it hangs up.
        }
        closedByClient.incrementAndGet();
      } catch (IOException e) {
        closedByClient.incrementAndGet();
      }
    }

    String url() {
      return "redis://127.0.0.1:" + socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
