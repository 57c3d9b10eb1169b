package io.weft.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MongoSafePushStore} on the embedded MongoDB-wire server, through the same Mongo client
 * code a real MongoDB gets. Malformed documents: {@link MalformedPushesIT}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MongoSafePushStoreIT {

  @TempDir
  Path dataDir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final List<SafePushStore> stores = new ArrayList<>();

  @AfterEach
  void closeStores() throws Exception {
    for (SafePushStore store : stores) {
      done(store.close());
    }
  }

  static <T> T done(Future<T> future) throws Exception {
    return future.await(30, TimeUnit.SECONDS);
  }

  private SafePushOptions options() {
    return new SafePushOptions().setEmbedded(true).setDataDir(dataDir.toString());
  }

  private SafePushStore open(Vertx vertx, SafePushOptions options, Clock clock) throws Exception {
    SafePushStore store = done(MongoSafePushStore.open(vertx, options, clock));
    stores.add(store);
    return store;
  }

  private SafePushStore open(Vertx vertx) throws Exception {
    return open(vertx, options(), clock);
  }

  private static SafePush stored(SafePushStore store, String clientId, String text) throws Exception {
    SafePush push = store.newPush(clientId, Buffer.buffer(text));
    done(store.store(push));
    return push;
  }

  @Test
  void aStoredPushIsListedAsUnarrived(Vertx vertx) throws Exception {
    SafePushStore store = open(vertx);
    SafePush push = stored(store, "alice", "hello");

    assertThat(push.status()).isEqualTo(PushStatus.UNARRIVE);
    assertThat(push.createdAt()).isEqualTo(clock.instant());
    assertThat(push.expireAt()).isEqualTo(clock.instant().plus(Duration.ofDays(7)));
    assertThat(done(store.unarrived("alice", 10))).containsExactly(push);
    assertThat(done(store.unarrived("bob", 10))).isEmpty();
    assertThat(done(store.get(push.pushId()))).isEqualTo(push);
    assertThat(done(store.get("no-such-push"))).isNull();
    assertThat(done(store.count(PushStatus.UNARRIVE))).isEqualTo(1);
    assertThat(done(store.count("alice", PushStatus.UNARRIVE))).isEqualTo(1);
    assertThat(done(store.count("alice", PushStatus.ARRIVED))).isZero();
  }

  @Test
  void markArrivedMovesAPushOnceAndOnlyForItsOwnClient(Vertx vertx) throws Exception {
    SafePushStore store = open(vertx);
    SafePush push = stored(store, "alice", "hello");
    clock.advance(Duration.ofSeconds(3));

    assertThat(done(store.markArrived("mallory", push.pushId()))).isFalse();
    assertThat(done(store.get(push.pushId())).status()).isEqualTo(PushStatus.UNARRIVE);

    assertThat(done(store.markArrived("alice", push.pushId()))).isTrue();
    assertThat(done(store.markArrived("alice", push.pushId()))).isFalse();
    assertThat(done(store.markArrived("alice", "no-such-push"))).isFalse();

    SafePush arrived = done(store.get(push.pushId()));
    assertThat(arrived.status()).isEqualTo(PushStatus.ARRIVED);
    assertThat(arrived.arrivedAt()).isEqualTo(clock.instant());
    assertThat(arrived.innerRpc()).isEqualTo(push.innerRpc());
    assertThat(done(store.unarrived("alice", 10))).isEmpty();
    assertThat(done(store.count(PushStatus.ARRIVED))).isEqualTo(1);
    assertThat(done(store.count(PushStatus.UNARRIVE))).isZero();
  }

  @Test
  void unarrivedListsInCreationOrderPageByPage(Vertx vertx) throws Exception {
    SafePushStore store = open(vertx);
    List<SafePush> created = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      created.add(store.newPush("alice", Buffer.buffer("m" + i)));
      if (i % 7 == 0) {
        clock.advance(Duration.ofMillis(1)); // the rest share a millisecond: the id breaks those ties
      }
    }
    List<SafePush> shuffled = new ArrayList<>(created);
    Collections.shuffle(shuffled);
    List<Future<Void>> writes = new ArrayList<>();
    for (SafePush push : shuffled) {
      writes.add(store.store(push));
    }
    done(Future.all(writes));
    stored(store, "bob", "not alice's");

    assertThat(done(store.unarrived("alice", 100))).containsExactlyElementsOf(created);
    assertThat(done(store.unarrived("alice", 5))).containsExactlyElementsOf(created.subList(0, 5));

    List<SafePush> paged = new ArrayList<>();
    List<SafePush> page = done(store.unarrived("alice", 7));
    while (!page.isEmpty()) {
      paged.addAll(page);
      page = done(store.unarrivedAfter("alice", page.get(page.size() - 1), 7));
    }
    assertThat(paged).containsExactlyElementsOf(created);
  }

  @Test
  void aLimitBelowOneIsRefused(Vertx vertx) throws Exception {
    SafePushStore store = open(vertx);
    assertThatThrownBy(() -> done(store.unarrived("alice", 0))).hasMessageContaining("limit").hasMessageContaining("0");
  }

  @Test
  void expiredPushesAreNeverListedAndTheSweepDeletesThem(Vertx vertx) throws Exception {
    SafePushStore store = open(vertx, options().setTtlSeconds(60).setSweepIntervalMs(50), clock);
    SafePush old = stored(store, "alice", "old");
    SafePush acked = stored(store, "alice", "acked");
    done(store.markArrived("alice", acked.pushId()));
    clock.advance(Duration.ofSeconds(30));
    SafePush young = stored(store, "alice", "young");

    clock.advance(Duration.ofSeconds(31)); // old and acked are 61 s old, young 31 s
    assertThat(done(store.unarrived("alice", 10))).containsExactly(young);
    await().atMost(Duration.ofSeconds(10)).until(() -> done(store.count(PushStatus.ARRIVED)) == 0
        && done(store.count(PushStatus.UNARRIVE)) == 1);
    assertThat(done(store.get(old.pushId()))).isNull();
    assertThat(done(store.get(young.pushId()))).isEqualTo(young);
  }

  @Test
  void removeExpiredCountsWhatItDeleted(Vertx vertx) throws Exception {
    SafePushStore store = open(vertx, options().setTtlSeconds(10).setSweepIntervalMs(3_600_000), clock);
    for (int i = 0; i < 3; i++) {
      stored(store, "c" + i, "x");
    }
    assertThat(done(store.removeExpired())).isZero();

    clock.advance(Duration.ofSeconds(10)); // expireAt is reached: gone
    assertThat(done(store.removeExpired())).isEqualTo(3);
    assertThat(done(store.removeExpired())).isZero();
  }

  @Test
  void aShortTtlExpiresOnTheRealClock(Vertx vertx) throws Exception {
    SafePushStore store = open(vertx, options().setTtlSeconds(1).setSweepIntervalMs(100), Clock.systemUTC());
    SafePush push = stored(store, "alice", "brief");
    assertThat(done(store.unarrived("alice", 10))).containsExactly(push);

    await().atMost(Duration.ofSeconds(10)).until(() -> done(store.count("alice", PushStatus.UNARRIVE)) == 0);
  }

  @Test
  void countAttemptsCountsOnlyTheClientsUnarrivedPushes(Vertx vertx) throws Exception {
    SafePushStore store = open(vertx);
    SafePush a = stored(store, "alice", "a");
    SafePush b = stored(store, "alice", "b");
    SafePush acked = stored(store, "alice", "acked");
    SafePush bobs = stored(store, "bob", "bob's");
    done(store.markArrived("alice", acked.pushId()));

    assertThat(done(store.countAttempts("alice", List.of(a.pushId(), b.pushId(), acked.pushId(), bobs.pushId())))).isEqualTo(2);
    assertThat(done(store.countAttempts("alice", List.of(a.pushId())))).isEqualTo(1);
    assertThat(done(store.countAttempts("alice", List.of()))).isZero();

    assertThat(done(store.get(a.pushId())).attempts()).isEqualTo(2);
    assertThat(done(store.get(b.pushId())).attempts()).isEqualTo(1);
    assertThat(done(store.get(acked.pushId())).attempts()).isZero();
    assertThat(done(store.get(bobs.pushId())).attempts()).isZero();
  }

  @Test
  void storeAllWritesManyAndAnIdIsStoredOnce(Vertx vertx) throws Exception {
    SafePushStore store = open(vertx);
    List<SafePush> pushes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      pushes.add(store.newPush("client-" + i, Buffer.buffer("all")));
    }
    done(store.storeAll(pushes));
    done(store.storeAll(List.of()));

    assertThat(done(store.count(PushStatus.UNARRIVE))).isEqualTo(20);
    assertThat(done(store.unarrived("client-7", 10))).containsExactly(pushes.get(7));
    assertThatThrownBy(() -> done(store.store(pushes.get(3)))).hasMessageContaining(pushes.get(3).pushId());
    assertThat(done(store.count(PushStatus.UNARRIVE))).isEqualTo(20);

    SafePush before = store.newPush("late", Buffer.buffer("before"));
    SafePush after = store.newPush("late", Buffer.buffer("after"));
    assertThatThrownBy(() -> done(store.storeAll(List.of(before, pushes.get(5), after)))).hasMessageContaining(pushes.get(5).pushId());
    assertThat(done(store.unarrived("late", 10))).containsExactly(before);
  }

  @Test
  void tenThousandPushesAreStoredAndListed(Vertx vertx) throws Exception {
    SafePushStore store = open(vertx);
    List<SafePush> created = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      created.add(store.newPush("busy", Buffer.buffer("message " + i)));
      if (i % 100 == 0) {
        clock.advance(Duration.ofMillis(1));
      }
    }
    for (int from = 0; from < created.size(); from += 500) { // 500 in flight at a time
      List<Future<Void>> writes = new ArrayList<>();
      for (SafePush push : created.subList(from, from + 500)) {
        writes.add(store.store(push));
      }
      done(Future.all(writes));
    }

    assertThat(done(store.count("busy", PushStatus.UNARRIVE))).isEqualTo(10_000);
    assertThat(done(store.unarrived("busy", 10_000))).containsExactlyElementsOf(created);
    List<SafePush> scanned = new ArrayList<>();
    List<SafePush> page = done(store.unarrived("busy", 1_000));
    while (!page.isEmpty()) {
      scanned.addAll(page);
      page = done(store.unarrivedAfter("busy", page.get(page.size() - 1), 1_000));
    }
    assertThat(scanned).containsExactlyElementsOf(created);
  }

  @Test
  void unarrivedPushesSurviveARestartOfTheEmbeddedServer(Vertx vertx) throws Exception {
    SafePushStore first = open(vertx);
    SafePush a = stored(first, "alice", "a");
    SafePush b = stored(first, "alice", "b");
    SafePush c = stored(first, "alice", "c");
    done(first.markArrived("alice", b.pushId()));
    done(first.close()); // the last user: the server stops and closes its H2 file

    SafePushStore second = open(vertx);
    assertThat(done(second.unarrived("alice", 10))).containsExactly(a, c);
    assertThat(done(second.get(b.pushId())).status()).isEqualTo(PushStatus.ARRIVED);

    SafePushStore elsewhere = open(vertx, options().setDataDir(dataDir.resolve("other").toString()), clock);
    assertThat(done(elsewhere.unarrived("alice", 10))).isEmpty();
  }

  @Test
  void storesOnOneDataDirShareTheServer(Vertx vertx) throws Exception {
    // As the instances of a push service deployed several times in one JVM do.
    var opens = Future.all(MongoSafePushStore.open(vertx, options(), clock), MongoSafePushStore.open(vertx, options(), clock));
    done(opens);
    SafePushStore one = opens.resultAt(0);
    SafePushStore two = opens.resultAt(1);
    stores.add(two);

    SafePush push = stored(one, "alice", "shared");
    assertThat(done(two.unarrived("alice", 10))).containsExactly(push);
    done(one.close());
    assertThat(done(two.markArrived("alice", push.pushId()))).isTrue();
  }

  @Test
  void undeployingTheVerticleThatOpenedAStoreClosesIt(Vertx vertx) throws Exception {
    int port = freePort();
    SafePushOptions options = options().setEmbeddedPort(port);
    String deployment = done(vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return MongoSafePushStore.open(vertx, options); // and never closed by this verticle
      }
    }));
    assertThat(accepts(vertx, port)).isTrue();

    done(vertx.undeploy(deployment));
    assertThat(accepts(vertx, port)).isFalse();
    // The data file was released with the server: another store opens it.
    SafePushStore again = open(vertx);
    assertThat(done(again.count(PushStatus.UNARRIVE))).isZero();
  }

  private static boolean accepts(Vertx vertx, int port) throws Exception {
    return done(vertx.createNetClient().connect(port, "127.0.0.1").compose(socket -> socket.close().map(true)).otherwise(false));
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void anUnreachableMongoFailsTheOpenNamingItWithoutItsPassword(Vertx vertx) throws Exception {
    int port = freePort();
    SafePushOptions options = new SafePushOptions().setMongo("mongodb://weft:s3cret@127.0.0.1:" + port)
        .setClient(new JsonObject().put("serverSelectionTimeoutMS", 300));

    assertThatThrownBy(() -> done(MongoSafePushStore.open(vertx, options)))
        .hasMessageContaining("cannot open the safe-push store at mongodb://***@127.0.0.1:" + port + "/weft.push_messages")
        .hasMessageNotContaining("s3cret");
  }
}
