package io.weft.push;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how long safe pushes are kept (PROTOCOL.md section 9).
 * <p>
 * Production names a MongoDB: {@code {"mongo": "mongodb://db1,db2/?replicaSet=rs0", "database": "weft"}}.
 * The embedded default ({@code conf/local.json}) runs a MongoDB-wire server inside the JVM whose
 * data lives in H2 files under {@code dataDir}: {@code {"embedded": true, "dataDir": "data/push"}};
 * the store then talks to it through the same Mongo client code as to a real MongoDB.
 * <p>
 * {@code ttlSeconds} bounds how long any push is kept, acknowledged or not. Expired documents are
 * removed by a periodic sweep every {@code sweepIntervalMs} (the embedded server has no TTL
 * monitor; on a real MongoDB the TTL index does the same), and are never listed for redelivery
 * in between. {@code client} is passed to the Vert.x Mongo client as extra config (pool sizes,
 * {@code serverSelectionTimeoutMS}, TLS, ...); the connection string and database set here win.
 */
public class SafePushOptions {

  public static final boolean DEFAULT_EMBEDDED = false;
  public static final String DEFAULT_MONGO = "mongodb://127.0.0.1:27017";
  public static final String DEFAULT_DATA_DIR = "data/push";
  /** 0: any free port. */
  public static final int DEFAULT_EMBEDDED_PORT = 0;
  public static final String DEFAULT_DATABASE = "weft";
  public static final String DEFAULT_COLLECTION = "push_messages";
  public static final long DEFAULT_TTL_SECONDS = 7 * 24 * 3600;
  public static final long DEFAULT_SWEEP_INTERVAL_MS = 60_000;

  private static final String PREFIX = "safePush.";

  private boolean embedded = DEFAULT_EMBEDDED;
  private String mongo = DEFAULT_MONGO;
  private String dataDir = DEFAULT_DATA_DIR;
  private int embeddedPort = DEFAULT_EMBEDDED_PORT;
  private String database = DEFAULT_DATABASE;
  private String collection = DEFAULT_COLLECTION;
  private long ttlSeconds = DEFAULT_TTL_SECONDS;
  private long sweepIntervalMs = DEFAULT_SWEEP_INTERVAL_MS;
  private JsonObject client = new JsonObject();

  public SafePushOptions() {
  }

  public SafePushOptions(SafePushOptions other) {
    this.embedded = other.embedded;
    this.mongo = other.mongo;
    this.dataDir = other.dataDir;
    this.embeddedPort = other.embeddedPort;
    this.database = other.database;
    this.collection = other.collection;
    this.ttlSeconds = other.ttlSeconds;
    this.sweepIntervalMs = other.sweepIntervalMs;
    this.client = other.client.copy();
  }

  public SafePushOptions(JsonObject json) {
    setEmbedded(get(json, "embedded", Boolean.class, DEFAULT_EMBEDDED));
    setMongo(get(json, "mongo", String.class, DEFAULT_MONGO));
    setDataDir(get(json, "dataDir", String.class, DEFAULT_DATA_DIR));
    long port = getLong(json, "embeddedPort", DEFAULT_EMBEDDED_PORT);
    setEmbeddedPort(port == (int) port ? (int) port : -1, port);
    setDatabase(get(json, "database", String.class, DEFAULT_DATABASE));
    setCollection(get(json, "collection", String.class, DEFAULT_COLLECTION));
    setTtlSeconds(getLong(json, "ttlSeconds", DEFAULT_TTL_SECONDS));
    setSweepIntervalMs(getLong(json, "sweepIntervalMs", DEFAULT_SWEEP_INTERVAL_MS));
    setClient(get(json, "client", JsonObject.class, new JsonObject()));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("embedded", embedded)
        .put("mongo", mongo)
        .put("dataDir", dataDir)
        .put("embeddedPort", embeddedPort)
        .put("database", database)
        .put("collection", collection)
        .put("ttlSeconds", ttlSeconds)
        .put("sweepIntervalMs", sweepIntervalMs)
        .put("client", client.copy());
  }

  public boolean isEmbedded() {
    return embedded;
  }

  /** Whether to run the in-JVM MongoDB-wire server on {@link #getDataDir()} instead of connecting to {@link #getMongo()}. */
  public SafePushOptions setEmbedded(boolean embedded) {
    this.embedded = embedded;
    return this;
  }

  public String getMongo() {
    return mongo;
  }

  /** The MongoDB connection string; not used when {@link #isEmbedded()}. */
  public SafePushOptions setMongo(String mongo) {
    if (mongo == null || !(mongo.startsWith("mongodb://") || mongo.startsWith("mongodb+srv://"))) {
      throw new IllegalArgumentException(PREFIX + "mongo must be a connection string starting with mongodb:// or mongodb+srv://, but was "
          + quote(mongo));
    }
    this.mongo = mongo;
    return this;
  }

  public String getDataDir() {
    return dataDir;
  }

  /** The folder of the embedded server's H2 file; created if missing. */
  public SafePushOptions setDataDir(String dataDir) {
    if (dataDir == null || dataDir.isBlank()) {
      throw new IllegalArgumentException(PREFIX + "dataDir must name a folder, but was " + quote(dataDir));
    }
    this.dataDir = dataDir;
    return this;
  }

  public int getEmbeddedPort() {
    return embeddedPort;
  }

  /** The embedded server's port on 127.0.0.1; 0 takes a free one. */
  public SafePushOptions setEmbeddedPort(int embeddedPort) {
    return setEmbeddedPort(embeddedPort, embeddedPort);
  }

  private SafePushOptions setEmbeddedPort(int embeddedPort, long asGiven) {
    if (embeddedPort < 0 || embeddedPort > 65535) {
      throw new IllegalArgumentException(PREFIX + "embeddedPort must be in 0..65535, but was " + asGiven);
    }
    this.embeddedPort = embeddedPort;
    return this;
  }

  public String getDatabase() {
    return database;
  }

  public SafePushOptions setDatabase(String database) {
    // MongoDB refuses these in database names; better to hear it at start than at the first push.
    if (database == null || database.isBlank() || database.length() > 63 || database.chars().anyMatch(c -> "/\\. \"$*<>:|?".indexOf(c) >= 0)) {
      throw new IllegalArgumentException(PREFIX + "database must be 1..63 characters without /\\. \"$*<>:|?, but was " + quote(database));
    }
    this.database = database;
    return this;
  }

  public String getCollection() {
    return collection;
  }

  public SafePushOptions setCollection(String collection) {
    if (collection == null || collection.isBlank() || collection.indexOf('$') >= 0 || collection.indexOf('\0') >= 0
        || collection.startsWith("system.")) {
      throw new IllegalArgumentException(PREFIX + "collection must be a name without $ that does not start with 'system.', but was "
          + quote(collection));
    }
    this.collection = collection;
    return this;
  }

  public long getTtlSeconds() {
    return ttlSeconds;
  }

  /** How long a push is kept after it is stored, acknowledged or not. */
  public SafePushOptions setTtlSeconds(long ttlSeconds) {
    if (ttlSeconds < 1) {
      throw new IllegalArgumentException(PREFIX + "ttlSeconds must be >= 1, but was " + ttlSeconds);
    }
    this.ttlSeconds = ttlSeconds;
    return this;
  }

  public long getSweepIntervalMs() {
    return sweepIntervalMs;
  }

  /** How often expired pushes are deleted. */
  public SafePushOptions setSweepIntervalMs(long sweepIntervalMs) {
    if (sweepIntervalMs < 10) {
      throw new IllegalArgumentException(PREFIX + "sweepIntervalMs must be >= 10, but was " + sweepIntervalMs);
    }
    this.sweepIntervalMs = sweepIntervalMs;
    return this;
  }

  public JsonObject getClient() {
    return client;
  }

  /** Extra config for the Vert.x Mongo client ({@code maxPoolSize}, {@code serverSelectionTimeoutMS}, ...). */
  public SafePushOptions setClient(JsonObject client) {
    this.client = Objects.requireNonNull(client, PREFIX + "client").copy();
    return this;
  }

  private static <T> T get(JsonObject json, String key, Class<T> type, T fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException(PREFIX + key + " must be a " + type.getSimpleName().toLowerCase(Locale.ROOT)
          + ", but was " + quote(String.valueOf(value)));
    }
    return type.cast(value);
  }

  private static long getLong(JsonObject json, String key, long fallback) {
    Number n = get(json, key, Number.class, fallback);
    if (!(n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte)) {
      throw new IllegalArgumentException(PREFIX + key + " must be a whole number, but was " + n);
    }
    return n.longValue();
  }

  private static String quote(String s) {
    return s == null ? "null" : "'" + s + "'";
  }
}
