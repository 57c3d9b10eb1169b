package io.weft.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Response;
import io.weft.core.session.impl.SessionKeys;
import io.weft.core.test.TestServers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RedisSessionDirectory} against the shared Redis: the contract, the layout, TTLs, damaged entries. */
class RedisSessionDirectoryIT extends SessionDirectoryContract {

  private RawRedis raw;

  static SessionOptions options() {
    return new SessionOptions().setType(SessionOptions.Type.REDIS).setConnectionString(TestServers.redis())
        .setTtlSeconds(100);
  }

  @Override
  protected SessionDirectory open(Vertx vertx) {
    return SessionDirectories.create(vertx, options());
  }

  @BeforeEach
  void connectRaw(Vertx vertx) {
    raw = new RawRedis(vertx, TestServers.redis());
  }

  @AfterEach
  void closeRaw() throws Exception {
    raw.close();
  }

  private static String key(String clientId) {
    return SessionKeys.key(clientId);
  }

  @Test
  void aBindingIsTheProtocolsHashUnderATtl() throws Exception {
    done(directory.bind(new Session(id("layout"), "10.0.0.1:7001", "boot1-2", 1_700_000_000_123L)));
    Response hash = raw.call("HGETALL", key(id("layout")));
    assertThat(hash.getKeys()).containsExactlyInAnyOrder("gate", "conn", "at");
    assertThat(hash.get("gate").toString()).isEqualTo("10.0.0.1:7001");
    assertThat(hash.get("conn").toString()).isEqualTo("boot1-2");
    assertThat(hash.get("at").toString()).isEqualTo("1700000000123");
    assertThat(raw.ttl(key(id("layout")))).isBetween(90L, 100L);
  }

  @Test
  void refreshRestartsTheTtlOnlyForTheConnectionBound() throws Exception {
    done(directory.bind(new Session(id("ttl"), "g:1", "mine", 1)));
    raw.call("EXPIRE", key(id("ttl")), 5);

    assertThat(done(directory.refresh(id("ttl"), "someone-elses"))).isFalse();
    assertThat(raw.ttl(key(id("ttl")))).isBetween(1L, 5L);
    assertThat(done(directory.refresh(id("ttl"), "mine"))).isTrue();
    assertThat(raw.ttl(key(id("ttl")))).isBetween(90L, 100L);
  }

  @Test
  void aBindingNobodyRefreshesExpires(Vertx vertx) throws Exception {
    SessionDirectory shortLived = SessionDirectories.create(vertx, options().setTtlSeconds(1));
    try {
      done(shortLived.bind(new Session(id("crashed-gate"), "g:1", "c1", 1)));
      await().atMost(Duration.ofSeconds(5)).until(() -> done(directory.lookup(id("crashed-gate"))) == null);
      assertThat(raw.call("EXISTS", key(id("crashed-gate"))).toInteger()).isZero();
    } finally {
      done(shortLived.close());
    }
  }

  @Test
  void damagedEntriesReadAsAbsentAndABindRepairsThem() throws Exception {
    raw.call("HSET", key(id("no-at")), "gate", "g:1", "conn", "c1");
    raw.call("HSET", key(id("bad-at")), "gate", "g:1", "conn", "c1", "at", "yesterday");
    raw.call("HSET", key(id("no-gate")), "conn", "c1", "at", "5");
    raw.call("SET", key(id("string")), "g:1/c1");
    raw.call("RPUSH", key(id("list")), "c1");
    done(directory.bind(new Session(id("fine"), "g:1", "c1", 1)));
    List<String> damaged = List.of(id("no-at"), id("bad-at"), id("no-gate"), id("string"), id("list"));

    Map<String, Session> found = done(directory.lookupAll(
        List.of(id("no-at"), id("bad-at"), id("no-gate"), id("string"), id("list"), id("fine"))));
    assertThat(found).containsOnlyKeys(id("fine"));
    for (String clientId : damaged) {
      assertThat(done(directory.lookup(clientId))).as(clientId).isNull();
      assertThat(done(directory.refresh(clientId, "c1"))).as(clientId).isFalse();
    }
    assertThat(done(directory.unbind(id("string"), "c1"))).isFalse();
    assertThat(raw.call("GET", key(id("string"))).toString()).as("not ours to delete").isEqualTo("g:1/c1");
    assertThat(done(directory.unbind(id("no-at"), "c1"))).as("a connection may clean up its own").isTrue();

    for (String clientId : List.of(id("bad-at"), id("no-gate"), id("string"), id("list"))) {
      Session repaired = new Session(clientId, "g:2", "c2", 2);
      assertThat(done(directory.bind(repaired))).as(clientId).isNull();
      assertThat(done(directory.lookup(clientId))).isEqualTo(repaired);
      assertThat(raw.call("HGETALL", key(clientId)).getKeys()).containsExactlyInAnyOrder("gate", "conn", "at");
    }
  }

  @Test
  void lookupsAskedInOneTaskShareOneScriptCall(Vertx vertx) throws Exception {
    for (int i = 0; i < 40; i++) {
      done(directory.bind(new Session(id("batch-" + i), "g:" + i, "c" + i, i)));
    }
    long before = evalshaCalls();
    List<String> asked = new java.util.ArrayList<>();
    for (int i = 0; i < 60; i++) {
      asked.add(id("batch-" + (i % 50)));  // ten of them were never bound, ten are asked twice
    }
    java.util.concurrent.CompletableFuture<List<Session>> answers = new java.util.concurrent.CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      List<Future<Session>> lookups = asked.stream().map(directory::lookup).toList();
      Future.all(lookups).onComplete(ar -> {
        if (ar.failed()) {
          answers.completeExceptionally(ar.cause());
        } else {
          answers.complete(lookups.stream().map(Future::result).toList());
        }
      });
    });

    List<Session> found = answers.get(10, java.util.concurrent.TimeUnit.SECONDS);
    for (int i = 0; i < asked.size(); i++) {
      int n = i % 50;
      if (n < 40) {
        assertThat(found.get(i)).as(asked.get(i)).isEqualTo(new Session(id("batch-" + n), "g:" + n, "c" + n, n));
      } else {
        assertThat(found.get(i)).as(asked.get(i)).isNull();
      }
    }
    assertThat(evalshaCalls() - before).as("script calls for 60 lookups in one task").isEqualTo(1);
  }

  @Test
  void aLookupOffAnyContextIsAnsweredAlone() throws Exception {
    done(directory.bind(new Session(id("alone"), "g:1", "c1", 1)));
    assertThat(directory.lookup(id("alone")).toCompletionStage().toCompletableFuture()
        .get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(new Session(id("alone"), "g:1", "c1", 1));
  }

  private long evalshaCalls() throws Exception {
    String stats = raw.call("INFO", "commandstats").toString();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("cmdstat_evalsha:calls=(\\d+)").matcher(stats);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  @Test
  void scriptsRedisForgotAreSentAgain() throws Exception {
    done(directory.bind(new Session(id("flush"), "g:1", "c1", 1)));
    raw.call("SCRIPT", "FLUSH");
    assertThat(done(directory.lookup(id("flush")))).isNotNull();
    assertThat(done(directory.bind(new Session(id("flush"), "g:2", "c2", 2)))).isNotNull();
    assertThat(done(directory.refresh(id("flush"), "c2"))).isTrue();
    raw.call("SCRIPT", "FLUSH");
    assertThat(done(directory.unbind(id("flush"), "c2"))).isTrue();
  }

  @Test
  void aSharedClientOutlivesTheVerticleThatCreatedIt(Vertx vertx) throws Exception {
    // Options of their own, so that the first verticle, not this test, creates the shared client.
    SessionOptions options = options().setMaxPoolWaiting(SessionOptions.DEFAULT_MAX_POOL_WAITING - 1);
    AtomicReference<SessionDirectory> first = new AtomicReference<>();
    AtomicReference<SessionDirectory> second = new AtomicReference<>();
    String firstId = done(vertx.deployVerticle(new DirectoryUser(options, first)));
    String secondId = done(vertx.deployVerticle(new DirectoryUser(options, second)));
    done(first.get().bind(new Session(id("v"), "g:1", "c1", 1)));

    done(vertx.undeploy(firstId));
    assertThat(done(second.get().lookup(id("v")))).isNotNull();
    assertThat(done(second.get().bind(new Session(id("v"), "g:1", "c2", 2)))).isNotNull();
    done(vertx.undeploy(secondId));
  }

  /** A verticle using the directory as a gate would: created in start, closed in stop. */
  private static final class DirectoryUser extends VerticleBase {
    private final SessionOptions options;
    private final AtomicReference<SessionDirectory> directory;

    DirectoryUser(SessionOptions options, AtomicReference<SessionDirectory> directory) {
      this.options = options;
      this.directory = directory;
    }

    @Override
    public Future<?> start() {
      directory.set(SessionDirectories.create(vertx, options));
      // Used from this verticle's context, the pool opens its connections on it.
      return directory.get().lookup("warm-up");
    }

    @Override
    public Future<?> stop() {
      return directory.get().close();
    }
  }

  @Test
  void closedDirectoriesRefuseCalls(Vertx vertx) throws Exception {
    SessionDirectory d = SessionDirectories.create(vertx, options());
    done(d.close());
    done(d.close());
    assertThat(d.lookup(id("x")).failed()).isTrue();
    assertThat(done(directory.lookup(id("x")))).as("the others' shared client is still open").isNull();
  }
}
