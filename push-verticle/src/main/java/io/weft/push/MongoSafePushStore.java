package io.weft.push;

import io.vertx.core.Closeable;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.weft.push.impl.PushDocuments;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link SafePushStore} on MongoDB through the Vert.x Mongo client: one document per push in
 * {@link SafePushOptions#getCollection()} (PROTOCOL.md section 9). The embedded MongoDB-wire server
 * ({@link EmbeddedMongo}) is reached through this same class, so the embedded default runs the
 * production code.
 * <p>
 * Expiry has one code path whatever the server: at start the store creates the TTL index on
 * {@code expireAt} (which a real MongoDB acts on about once a minute, and the embedded server
 * accepts and ignores), and it deletes expired documents itself every
 * {@link SafePushOptions#getSweepIntervalMs()}. On MongoDB the sweep is an index range scan that
 * mostly finds what the TTL monitor left; on the embedded server it is the only expiry. Reads never
 * return an expired push for redelivery, whether or not it has been deleted yet.
 * <p>
 * What each call costs: on MongoDB, acknowledging, counting a send and {@link #get} go by
 * {@code _id}, listing by the {@code clientId, status, createdAt} index, the sweep by the TTL
 * index; {@link #count(PushStatus)} alone scans. The embedded server has no secondary indexes, so
 * there listing, counting and the sweep scan every push kept, a cost that grows with the store;
 * the per-push calls stay lookups through one unique index created for it alone.
 */
public final class MongoSafePushStore implements SafePushStore {

  private static final Logger log = LoggerFactory.getLogger(MongoSafePushStore.class);
  /** Malformed documents are logged once each, remembering at most this many ids. */
  private static final int REPORTED_MALFORMED_MAX = 1024;

  private final Vertx vertx;
  private final MongoClient mongo;
  private final String collection;
  private final Duration ttl;
  private final Clock clock;
  private final EmbeddedMongo embedded;
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Set<String> reportedMalformed = Collections.newSetFromMap(Collections.synchronizedMap(
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > REPORTED_MALFORMED_MAX;
        }
      }));
  private volatile long sweepTimer = -1;
  /** The context the Mongo client was created on, which closes it on undeploy; this store goes with it. */
  private final ContextInternal context;
  private final Closeable closeHook = this::closedByVertx;

  private MongoSafePushStore(Vertx vertx, ContextInternal context, MongoClient mongo, SafePushOptions options, Clock clock,
                             EmbeddedMongo embedded) {
    this.vertx = vertx;
    this.context = context;
    this.mongo = mongo;
    this.collection = options.getCollection();
    this.ttl = Duration.ofSeconds(options.getTtlSeconds());
    this.clock = clock;
    this.embedded = embedded;
  }

  /** Opens the store {@code options} describe, on the system clock. */
  public static Future<MongoSafePushStore> open(Vertx vertx, SafePushOptions options) {
    return open(vertx, options, Clock.systemUTC());
  }

  /**
   * Opens the store {@code options} describe, starting or sharing the embedded server when
   * {@link SafePushOptions#isEmbedded()}. {@code clock} dates pushes and decides what has expired
   * (tests move it on instead of waiting).
   */
  public static Future<MongoSafePushStore> open(Vertx vertx, SafePushOptions options, Clock clock) {
    SafePushOptions opts = new SafePushOptions(options);
    if (!opts.isEmbedded()) {
      return connect(vertx, opts, opts.getMongo(), clock, null);
    }
    return EmbeddedMongo.start(vertx, Path.of(opts.getDataDir()), opts.getEmbeddedPort())
        .compose(server -> connect(vertx, opts, server.connectionString(), clock, server)
            .recover(e -> server.close().transform(ignored -> Future.failedFuture(e))));
  }

  private static Future<MongoSafePushStore> connect(Vertx vertx, SafePushOptions options, String connectionString, Clock clock,
                                                    EmbeddedMongo embedded) {
    JsonObject config = options.getClient().copy()
        .put("connection_string", connectionString)
        .put("db_name", options.getDatabase());
    ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
    // Shared, so that the verticle instances of one push service use one connection pool; keyed
    // by the whole config, as a shared client keeps the config it was first created with. Made
    // on a worker: the first driver in a JVM loads and initialises hundreds of classes, seconds on
    // a busy machine, which an event loop shared with a gate must not spend. The worker runs on
    // this context, so the client's own close hook is on it too.
    return context.executeBlocking(() -> MongoClient.createShared(vertx, config, "weft-push:" + config.encode()), false)
        .compose(mongo -> {
          MongoSafePushStore store = new MongoSafePushStore(vertx, context, mongo, options, clock, embedded);
          return store.createIndexes(embedded != null).transform(ar -> {
            if (ar.succeeded()) {
              store.startSweeping(options.getSweepIntervalMs());
              context.addCloseHook(store.closeHook);
              return Future.succeededFuture(store);
            }
            String where = redact(connectionString) + "/" + options.getDatabase() + "." + options.getCollection();
            return mongo.close().transform(ignored -> Future.failedFuture(
                new IllegalStateException("cannot open the safe-push store at " + where + ": " + ar.cause().getMessage(), ar.cause())));
          });
        });
  }

  private Future<Void> createIndexes(boolean embedded) {
    // The listing index of PROTOCOL.md section 9, and the TTL index: expireAt holds the expiry
    // time itself, hence expireAfter 0.
    List<Future<Void>> indexes = new ArrayList<>();
    indexes.add(mongo.createIndexWithOptions(collection,
        new JsonObject().put(PushDocuments.CLIENT_ID, 1).put(PushDocuments.STATUS, 1).put(PushDocuments.CREATED_AT, 1),
        new IndexOptions()));
    indexes.add(mongo.createIndexWithOptions(collection, new JsonObject().put(PushDocuments.EXPIRE_AT, 1),
        new IndexOptions().expireAfter(0L, TimeUnit.SECONDS)));
    if (embedded) {
      // The embedded server ignores non-unique indexes and uses a unique one only for a query on
      // exactly its keys. Acknowledging a push (and counting a send) looks one up by exactly these,
      // so with this index they stay lookups, not scans of every push kept. MongoDB needs no such
      // index: its _id index serves these queries.
      indexes.add(mongo.createIndexWithOptions(collection,
          new JsonObject().put(PushDocuments.ID, 1).put(PushDocuments.CLIENT_ID, 1).put(PushDocuments.STATUS, 1),
          new IndexOptions().unique(true)));
    }
    return Future.join(indexes).mapEmpty(); // join: all settled before a failure closes the client
  }

  private void startSweeping(long intervalMs) {
    sweep(); // what expired while nobody was running goes at once
    sweepTimer = vertx.setPeriodic(intervalMs, id -> sweep());
    if (closed.get()) {
      vertx.cancelTimer(sweepTimer);
    }
  }

  private void sweep() {
    if (closed.get() || !sweeping.compareAndSet(false, true)) {
      return; // the previous sweep is still running: a slow server gets one at a time
    }
    removeExpired().onComplete(ar -> {
      sweeping.set(false);
      if (ar.failed() && !closed.get()) {
        log.warn("Removing expired safe pushes failed; trying again in the next sweep", ar.cause());
      } else if (ar.succeeded() && ar.result() > 0) {
        log.debug("Removed " + ar.result() + " expired safe pushes");
      }
    });
  }

  @Override
  public SafePush newPush(String clientId, Buffer innerRpc) {
    return SafePush.unarrive(PushIds.next(), clientId, innerRpc, clock.instant(), ttl);
  }

  @Override
  public Future<Void> store(SafePush push) {
    return mongo.insert(collection, PushDocuments.toDocument(push)).mapEmpty();
  }

  @Override
  public Future<Void> storeAll(List<SafePush> pushes) {
    if (pushes.isEmpty()) {
      return Future.succeededFuture();
    }
    List<BulkOperation> inserts = new ArrayList<>(pushes.size());
    for (SafePush push : pushes) {
      inserts.add(BulkOperation.createInsert(PushDocuments.toDocument(push)));
    }
    return mongo.bulkWrite(collection, inserts).mapEmpty();
  }

  @Override
  public Future<Boolean> markArrived(String clientId, String pushId) {
    return mongo.updateCollection(collection, PushDocuments.unarrivedOf(clientId, pushId), PushDocuments.arrivedUpdate(clock.instant()))
        .map(result -> result != null && result.getDocModified() > 0);
  }

  @Override
  public Future<List<SafePush>> unarrivedAfter(String clientId, SafePush after, int limit) {
    if (limit < 1) {
      return Future.failedFuture(new IllegalArgumentException("limit must be >= 1, but was " + limit));
    }
    return unarrivedPage(clientId, clock.instant(), after == null ? null : after.createdAt(), after == null ? null : after.pushId(),
        limit, new ArrayList<>(Math.min(limit, 1024)));
  }

  /**
   * Reads up to the pushes still wanted after the position given; when malformed documents were
   * among them, reads on after the last document seen, so that they cost a page no room.
   */
  private Future<List<SafePush>> unarrivedPage(String clientId, Instant now, Instant afterCreatedAt, String afterId, int limit,
                                               List<SafePush> out) {
    int wanted = limit - out.size();
    FindOptions find = new FindOptions().setSort(PushDocuments.creationOrder()).setLimit(wanted);
    return mongo.findWithOptions(collection, PushDocuments.unarrivedQuery(clientId, now, afterCreatedAt, afterId), find)
        .compose(docs -> {
          for (JsonObject doc : docs) {
            try {
              out.add(PushDocuments.fromDocument(doc));
            } catch (IllegalArgumentException e) {
              reportMalformed(doc, e);
            }
          }
          if (docs.size() < wanted || out.size() >= limit) {
            return Future.succeededFuture(out);
          }
          JsonObject last = docs.get(docs.size() - 1);
          // The query admits only documents whose sort keys are a date and a string.
          return unarrivedPage(clientId, now, PushDocuments.createdAtOf(last), last.getString(PushDocuments.ID), limit, out);
        });
  }

  private void reportMalformed(JsonObject doc, IllegalArgumentException e) {
    String id = String.valueOf(doc.getValue(PushDocuments.ID));
    if (reportedMalformed.add(id)) {
      log.warn("Skipping malformed safe push " + id + " in " + collection + ": " + e.getMessage());
    }
  }

  @Override
  public Future<Long> countAttempts(String clientId, List<String> pushIds) {
    if (pushIds.isEmpty()) {
      return Future.succeededFuture(0L);
    }
    // One exact-match update per id rather than one $in: the same single round trip, and each
    // stays an index lookup on the embedded server too (see createIndexes).
    List<BulkOperation> updates = new ArrayList<>(pushIds.size());
    for (String pushId : pushIds) {
      updates.add(BulkOperation.createUpdate(PushDocuments.unarrivedOf(clientId, pushId), PushDocuments.oneMoreAttempt()));
    }
    return mongo.bulkWriteWithOptions(collection, updates, new BulkWriteOptions(false))
        .map(result -> result == null ? 0L : result.getModifiedCount());
  }

  @Override
  public Future<SafePush> get(String pushId) {
    return mongo.findOne(collection, new JsonObject().put(PushDocuments.ID, pushId), null)
        .map(doc -> doc == null ? null : PushDocuments.fromDocument(doc));
  }

  @Override
  public Future<Long> count(PushStatus status) {
    return mongo.count(collection, new JsonObject().put(PushDocuments.STATUS, status.name()));
  }

  @Override
  public Future<Long> count(String clientId, PushStatus status) {
    return mongo.count(collection, PushDocuments.byClientAndStatus(clientId, status));
  }

  @Override
  public Future<Long> removeExpired() {
    return mongo.removeDocuments(collection, PushDocuments.expiredAt(clock.instant()))
        .map(result -> result == null ? 0L : result.getRemovedCount());
  }

  @Override
  public Future<Void> close() {
    if (!closed.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    context.removeCloseHook(closeHook);
    return release(mongo.close());
  }

  /**
   * Undeploy of the verticle that opened this store, or Vert.x closing, without {@link #close()}:
   * the Mongo client has a close hook of its own on the same context (and closing it twice would
   * give up a reference another store holds on the shared client), so only the rest is released.
   */
  private void closedByVertx(Completable<Void> completion) {
    if (closed.compareAndSet(false, true)) {
      release(Future.succeededFuture()).onComplete(completion);
    } else {
      completion.succeed();
    }
  }

  private Future<Void> release(Future<Void> clientClosed) {
    if (sweepTimer != -1) {
      vertx.cancelTimer(sweepTimer);
    }
    return embedded == null ? clientClosed : clientClosed.eventually(embedded::close);
  }

  /** The connection string without its password, for messages. */
  static String redact(String connectionString) {
    return connectionString.replaceFirst("//[^@/]*@", "//***@");
  }
}
