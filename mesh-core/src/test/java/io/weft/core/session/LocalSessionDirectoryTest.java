package io.weft.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalSessionDirectoryTest extends SessionDirectoryContract {

  private static final SessionOptions TTL_10S = new SessionOptions().setTtlSeconds(10);
  private final AtomicLong clock = new AtomicLong(1_000_000);

  @Override
  protected SessionDirectory open(Vertx vertx) {
    return LocalSessionDirectory.get(vertx);
  }

  /** Binds from 100 threads released together: the store, not an event loop, must serialize them. */
  @Override
  protected List<Session> race(List<Session> logins) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(logins.size());
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Session>> binds = new ArrayList<>();
      for (Session login : logins) {
        binds.add(threads.submit(() -> {
          go.await();
          return done(directory.bind(login));
        }));
      }
      go.countDown();
      List<Session> kicked = new ArrayList<>();
      for (Future<Session> bind : binds) {
        kicked.add(bind.get(10, TimeUnit.SECONDS));
      }
      return kicked;
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aBindingExpiresAfterItsTtlUnlessItsConnectionRefreshesIt() throws Exception {
    LocalSessionDirectory local = LocalSessionDirectory.withClock(TTL_10S, clock::get);
    done(local.bind(new Session("live", "g:1", "c1", 1)));
    done(local.bind(new Session("dead", "g:2", "c2", 1)));
    done(local.bind(new Session("stolen", "g:1", "c3", 1)));

    clock.addAndGet(9_000);
    assertThat(done(local.refreshAll(Map.of("live", "c1", "stolen", "not-c3")))).containsExactly("stolen");
    clock.addAndGet(2_000); // 11 s after the binds, 2 s after the refresh
    assertThat(done(local.lookupAll(List.of("live", "dead", "stolen")))).containsOnlyKeys("live");
    assertThat(done(local.refresh("dead", "c2"))).isFalse();
    assertThat(done(local.bind(new Session("dead", "g:3", "c4", 2)))).as("an expired binding kicks nobody").isNull();

    clock.addAndGet(7_999); // 1 ms before the refreshed TTL ends
    assertThat(done(local.lookup("live"))).isNotNull();
    clock.addAndGet(1);
    assertThat(done(local.lookup("live"))).isNull();
  }

  @Test
  void expiredBindingsNobodyTouchesAreSweptByLaterOperations() throws Exception {
    LocalSessionDirectory local = LocalSessionDirectory.withClock(TTL_10S, clock::get);
    for (int i = 0; i < 100; i++) {
      done(local.bind(new Session("c" + i, "g:1", "conn", 1)));
    }
    clock.addAndGet(LocalSessionDirectory.SWEEP_INTERVAL_MS);
    done(local.bind(new Session("newcomer", "g:1", "conn", 2)));
    assertThat(local.size()).isEqualTo(1);
  }

  @Test
  void directoriesOfOneVertxShareTheBindingsAndOthersDoNot(Vertx vertx) throws Exception {
    LocalSessionDirectory gate = LocalSessionDirectory.get(vertx);
    LocalSessionDirectory push = LocalSessionDirectory.get(vertx, new SessionOptions().setTtlSeconds(5));
    Session s = new Session(id("shared"), "g:1", "c1", 1);
    done(gate.bind(s));
    done(gate.close());
    assertThat(done(push.lookup(id("shared")))).isEqualTo(s);
    Vertx other = Vertx.vertx();
    try {
      assertThat(done(LocalSessionDirectory.get(other).lookup(id("shared")))).isNull();
    } finally {
      other.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void theFactoryGivesTheLocalDirectoryByDefault(Vertx vertx) throws Exception {
    SessionDirectory d = SessionDirectories.create(vertx, new SessionOptions());
    assertThat(d).isInstanceOf(LocalSessionDirectory.class);
    Session s = new Session(id("f"), "g:1", "c1", 1);
    done(d.bind(s));
    assertThat(done(LocalSessionDirectory.get(vertx).lookup(id("f")))).isEqualTo(s);
  }
}
