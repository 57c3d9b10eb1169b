package io.weft.push;

import static io.weft.push.MongoSafePushStoreIT.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import io.weft.push.impl.PushDocuments;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Documents in {@code push_messages} that are not pushes, written behind the store's back (an older
 * version, an operator's hand, a bug elsewhere): the store skips them and goes on.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MalformedPushesIT {

  @TempDir
  Path dataDir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private EmbeddedMongo server;
  private MongoClient raw;
  private SafePushStore store;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    // Our own handle on the server the store shares, for a client that writes what the store would not.
    server = done(EmbeddedMongo.start(vertx, dataDir, 0));
    raw = MongoClient.create(vertx, new JsonObject().put("connection_string", server.connectionString()).put("db_name", "weft"));
    store = done(MongoSafePushStore.open(vertx, new SafePushOptions().setEmbedded(true).setDataDir(dataDir.toString()), clock));
  }

  @AfterEach
  void stop() throws Exception {
    done(store.close());
    done(raw.close());
    done(server.close());
  }

  /** A well-formed document of alice's, created {@code atMs} after the clock's start, then damaged. */
  private JsonObject document(String id, long atMs, Consumer<JsonObject> damage) {
    Instant at = clock.instant().plusMillis(atMs);
    JsonObject doc = PushDocuments.toDocument(SafePush.unarrive(id, "alice", Buffer.buffer(id), at, Duration.ofDays(1)));
    damage.accept(doc);
    return doc;
  }

  private SafePush valid(String id, long atMs) throws Exception {
    SafePush push = SafePush.unarrive(id, "alice", Buffer.buffer(id), clock.instant().plusMillis(atMs), Duration.ofDays(1));
    done(store.store(push));
    return push;
  }

  private void insertRaw(JsonObject doc) throws Exception {
    done(raw.insert("push_messages", doc));
  }

  @Test
  void malformedDocumentsAreSkippedAndDoNotShortenAPage() throws Exception {
    // Damaged but with sortable keys: read, refused, skipped. Listed first, they fill whole raw pages.
    insertRaw(document("bad-binary", 1, doc -> doc.put("innerRpc", "not binary")));
    insertRaw(document("bad-attempts", 2, doc -> doc.put("attempts", "many")));
    insertRaw(document("bad-date", 3, doc -> doc.put("arrivedAt", 17)));
    // Damaged in their keys: kept out by the query itself.
    insertRaw(document("string-date", 4, doc -> doc.put("createdAt", "2026-03-01")));
    insertRaw(document("number-id", 5, doc -> doc.put("_id", 42)));
    insertRaw(document("no-expiry", 6, doc -> doc.remove("expireAt")));
    insertRaw(document("lost", 7, doc -> doc.put("status", "LOST")));
    SafePush first = valid("v1", 10);
    insertRaw(document("bad-between", 11, doc -> doc.remove("innerRpc")));
    SafePush second = valid("v2", 12);
    SafePush third = valid("v3", 13);

    assertThat(done(store.unarrived("alice", 2))).containsExactly(first, second);
    assertThat(done(store.unarrived("alice", 100))).containsExactly(first, second, third);
    List<SafePush> paged = new ArrayList<>();
    List<SafePush> page = done(store.unarrived("alice", 1));
    while (!page.isEmpty()) {
      paged.addAll(page);
      page = done(store.unarrivedAfter("alice", page.get(0), 1));
    }
    assertThat(paged).containsExactly(first, second, third);

    // The rest of the store works around them too.
    assertThat(done(store.count("alice", PushStatus.UNARRIVE))).isGreaterThanOrEqualTo(3);
    assertThat(done(store.markArrived("alice", second.pushId()))).isTrue();
    assertThat(done(store.countAttempts("alice", List.of("bad-binary", first.pushId())))).isEqualTo(2);
    assertThat(done(store.removeExpired())).isZero();
    assertThatThrownBy(() -> done(store.get("bad-binary"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("innerRpc");
    assertThat(done(store.unarrived("alice", 100))).extracting(SafePush::pushId).containsExactly(first.pushId(), third.pushId());
    assertThat(done(store.get(first.pushId())).attempts()).isEqualTo(1);
  }
}
