package io.weft.core.events;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a service's events live and how they are delivered: a service's {@code events} section.
 * <pre>{@code
 * "events": {"redis": "redis://127.0.0.1:6379", "maxLen": 100000, "visibilityTimeoutMs": 30000,
 *            "maxAttempts": 5, "retryDelayMs": 1000, "startFrom": "latest"}
 * }</pre>
 * Events need Redis: without {@code redis} (the default, as in {@code conf/local.json}) publishing
 * fails with 14 and a service that subscribes to anything refuses to start.
 * <ul>
 *   <li>{@code maxLen}: entries a topic's stream keeps (approximately: Redis trims whole nodes).
 *   A subscriber further behind than this loses the oldest entries: size it for the longest
 *   outage a subscriber may have, times the topic's rate.</li>
 *   <li>{@code visibilityTimeoutMs}: how long the entries of a consumer that stopped renewing them
 *   (it died, or froze) stay invisible before another consumer of its group takes them over; a
 *   live consumer renews its entries every third of it, so slow handlers are not redelivered.
 *   It is also the lease of ordered subscriptions.</li>
 *   <li>{@code maxAttempts}: deliveries of an entry before it goes to its group's dead-letter
 *   stream; {@code retryDelayMs} the pause before a failed entry is tried again.</li>
 *   <li>{@code blockMs}, {@code batchSize}: each read waits up to {@code blockMs} for entries and
 *   takes up to {@code batchSize}; {@code maxInFlight}: entries one subscription of one instance
 *   holds at once (handling, queued or waiting for a retry).</li>
 *   <li>{@code startFrom}: where a service's group starts on a topic when the service subscribes
 *   to it for the first time: {@code latest} (events published from then on) or
 *   {@code earliest} (everything the stream still holds). An existing group keeps its place.</li>
 *   <li>{@code persistentCalls}: consume the service's persistent-call stream;
 *   {@code callDedupeTtlSec}: how long a persistent call's message id is remembered.</li>
 *   <li>{@code timeoutMs}, {@code maxPoolSize}, {@code maxPoolWaiting}: every Redis command fails
 *   after {@code timeoutMs}; the pool shared by a process's services.</li>
 * </ul>
 */
public class EventsOptions {

  /** Where a new group starts reading a stream. */
  public enum StartFrom {
    /** Entries added after the group was created ({@code $}). */
    LATEST("$"),
    /** Every entry the stream holds ({@code 0}). */
    EARLIEST("0");

    private final String id;

    StartFrom(String id) {
      this.id = id;
    }

    /** The id {@code XGROUP CREATE} takes. */
    public String streamId() {
      return id;
    }

    static StartFrom parse(String key, String value) {
      return switch (value == null ? "" : value.toLowerCase(Locale.ROOT)) {
        case "latest", "$" -> LATEST;
        case "earliest", "0" -> EARLIEST;
        default -> throw new IllegalArgumentException(key + " must be 'latest' or 'earliest', but was '" + value + "'");
      };
    }
  }

  public static final long DEFAULT_MAX_LEN = 100_000;
  public static final long DEFAULT_DEAD_LETTER_MAX_LEN = 10_000;
  public static final long DEFAULT_VISIBILITY_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final long DEFAULT_RETRY_DELAY_MS = 1_000;
  public static final long DEFAULT_BLOCK_MS = 2_000;
  public static final int DEFAULT_BATCH_SIZE = 32;
  public static final int DEFAULT_MAX_IN_FLIGHT = 64;
  public static final StartFrom DEFAULT_START_FROM = StartFrom.LATEST;
  public static final boolean DEFAULT_PERSISTENT_CALLS = true;
  public static final long DEFAULT_CALL_DEDUPE_TTL_SEC = 86_400;
  public static final long DEFAULT_TIMEOUT_MS = 2_000;
  public static final int DEFAULT_MAX_POOL_SIZE = 8;
  public static final int DEFAULT_MAX_POOL_WAITING = 1024;

  private static final Set<String> KEYS = Set.of("redis", "maxLen", "deadLetterMaxLen", "visibilityTimeoutMs",
      "maxAttempts", "retryDelayMs", "blockMs", "batchSize", "maxInFlight", "startFrom", "persistentCalls",
      "callDedupeTtlSec", "timeoutMs", "maxPoolSize", "maxPoolWaiting");

  private String redis;
  private long maxLen = DEFAULT_MAX_LEN;
  private long deadLetterMaxLen = DEFAULT_DEAD_LETTER_MAX_LEN;
  private long visibilityTimeoutMs = DEFAULT_VISIBILITY_TIMEOUT_MS;
  private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
  private long retryDelayMs = DEFAULT_RETRY_DELAY_MS;
  private long blockMs = DEFAULT_BLOCK_MS;
  private int batchSize = DEFAULT_BATCH_SIZE;
  private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
  private StartFrom startFrom = DEFAULT_START_FROM;
  private boolean persistentCalls = DEFAULT_PERSISTENT_CALLS;
  private long callDedupeTtlSec = DEFAULT_CALL_DEDUPE_TTL_SEC;
  private long timeoutMs = DEFAULT_TIMEOUT_MS;
  private int maxPoolSize = DEFAULT_MAX_POOL_SIZE;
  private int maxPoolWaiting = DEFAULT_MAX_POOL_WAITING;

  public EventsOptions() {
  }

  public EventsOptions(EventsOptions other) {
    this(other.toJson());
  }

  /** Reads the {@code events} section; an unknown key is refused, naming it. */
  public EventsOptions(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key events." + key + "; known keys: " + new TreeSet<>(KEYS));
      }
    }
    setRedis(json.getString("redis"));
    setMaxLen(json.getLong("maxLen", DEFAULT_MAX_LEN));
    setDeadLetterMaxLen(json.getLong("deadLetterMaxLen", DEFAULT_DEAD_LETTER_MAX_LEN));
    setVisibilityTimeoutMs(json.getLong("visibilityTimeoutMs", DEFAULT_VISIBILITY_TIMEOUT_MS));
    setMaxAttempts(json.getInteger("maxAttempts", DEFAULT_MAX_ATTEMPTS));
    setRetryDelayMs(json.getLong("retryDelayMs", DEFAULT_RETRY_DELAY_MS));
    setBlockMs(json.getLong("blockMs", DEFAULT_BLOCK_MS));
    setBatchSize(json.getInteger("batchSize", DEFAULT_BATCH_SIZE));
    setMaxInFlight(json.getInteger("maxInFlight", DEFAULT_MAX_IN_FLIGHT));
    setStartFrom(StartFrom.parse("events.startFrom", json.getString("startFrom", "latest")));
    setPersistentCalls(json.getBoolean("persistentCalls", DEFAULT_PERSISTENT_CALLS));
    setCallDedupeTtlSec(json.getLong("callDedupeTtlSec", DEFAULT_CALL_DEDUPE_TTL_SEC));
    setTimeoutMs(json.getLong("timeoutMs", DEFAULT_TIMEOUT_MS));
    setMaxPoolSize(json.getInteger("maxPoolSize", DEFAULT_MAX_POOL_SIZE));
    setMaxPoolWaiting(json.getInteger("maxPoolWaiting", DEFAULT_MAX_POOL_WAITING));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (redis != null) {
      json.put("redis", redis);
    }
    return json
        .put("maxLen", maxLen)
        .put("deadLetterMaxLen", deadLetterMaxLen)
        .put("visibilityTimeoutMs", visibilityTimeoutMs)
        .put("maxAttempts", maxAttempts)
        .put("retryDelayMs", retryDelayMs)
        .put("blockMs", blockMs)
        .put("batchSize", batchSize)
        .put("maxInFlight", maxInFlight)
        .put("startFrom", startFrom.name().toLowerCase(Locale.ROOT))
        .put("persistentCalls", persistentCalls)
        .put("callDedupeTtlSec", callDedupeTtlSec)
        .put("timeoutMs", timeoutMs)
        .put("maxPoolSize", maxPoolSize)
        .put("maxPoolWaiting", maxPoolWaiting);
  }

  /** The connection string, or {@code null}: no Redis, no events. */
  public String getRedis() {
    return redis;
  }

  /** {@code redis://[[user]:password@]host[:port][/db]}, {@code rediss://...} (TLS) or {@code unix://path}. */
  public EventsOptions setRedis(String redis) {
    String s = redis == null ? "" : redis.trim();
    if (s.isEmpty()) {
      this.redis = null;
      return this;
    }
    boolean knownScheme = s.startsWith("redis://") || s.startsWith("rediss://") || s.startsWith("unix://");
    if (!knownScheme || s.endsWith("://")) {
      throw new IllegalArgumentException("events.redis must look like redis://host:port, but was '"
          + withoutPassword(s) + "'");
    }
    this.redis = s;
    return this;
  }

  /** A connection string as it may be logged. */
  public static String withoutPassword(String connectionString) {
    return connectionString == null ? null : connectionString.replaceAll("//[^/@]*@", "//***@");
  }

  public long getMaxLen() {
    return maxLen;
  }

  public EventsOptions setMaxLen(long maxLen) {
    this.maxLen = atLeast("maxLen", maxLen, 1);
    return this;
  }

  public long getDeadLetterMaxLen() {
    return deadLetterMaxLen;
  }

  public EventsOptions setDeadLetterMaxLen(long deadLetterMaxLen) {
    this.deadLetterMaxLen = atLeast("deadLetterMaxLen", deadLetterMaxLen, 1);
    return this;
  }

  public long getVisibilityTimeoutMs() {
    return visibilityTimeoutMs;
  }

  public EventsOptions setVisibilityTimeoutMs(long visibilityTimeoutMs) {
    this.visibilityTimeoutMs = atLeast("visibilityTimeoutMs", visibilityTimeoutMs, 50);
    return this;
  }

  public int getMaxAttempts() {
    return maxAttempts;
  }

  public EventsOptions setMaxAttempts(int maxAttempts) {
    this.maxAttempts = (int) atLeast("maxAttempts", maxAttempts, 1);
    return this;
  }

  public long getRetryDelayMs() {
    return retryDelayMs;
  }

  public EventsOptions setRetryDelayMs(long retryDelayMs) {
    this.retryDelayMs = atLeast("retryDelayMs", retryDelayMs, 1);
    return this;
  }

  public long getBlockMs() {
    return blockMs;
  }

  public EventsOptions setBlockMs(long blockMs) {
    this.blockMs = atLeast("blockMs", blockMs, 10);
    return this;
  }

  public int getBatchSize() {
    return batchSize;
  }

  public EventsOptions setBatchSize(int batchSize) {
    this.batchSize = (int) atLeast("batchSize", batchSize, 1);
    return this;
  }

  public int getMaxInFlight() {
    return maxInFlight;
  }

  public EventsOptions setMaxInFlight(int maxInFlight) {
    if (maxInFlight > 4096) {
      throw new IllegalArgumentException("events.maxInFlight must be <= 4096, but was " + maxInFlight);
    }
    this.maxInFlight = (int) atLeast("maxInFlight", maxInFlight, 1);
    return this;
  }

  public StartFrom getStartFrom() {
    return startFrom;
  }

  public EventsOptions setStartFrom(StartFrom startFrom) {
    this.startFrom = java.util.Objects.requireNonNull(startFrom, "startFrom");
    return this;
  }

  public boolean isPersistentCalls() {
    return persistentCalls;
  }

  public EventsOptions setPersistentCalls(boolean persistentCalls) {
    this.persistentCalls = persistentCalls;
    return this;
  }

  public long getCallDedupeTtlSec() {
    return callDedupeTtlSec;
  }

  public EventsOptions setCallDedupeTtlSec(long callDedupeTtlSec) {
    this.callDedupeTtlSec = atLeast("callDedupeTtlSec", callDedupeTtlSec, 1);
    return this;
  }

  public long getTimeoutMs() {
    return timeoutMs;
  }

  public EventsOptions setTimeoutMs(long timeoutMs) {
    this.timeoutMs = atLeast("timeoutMs", timeoutMs, 10);
    return this;
  }

  public int getMaxPoolSize() {
    return maxPoolSize;
  }

  public EventsOptions setMaxPoolSize(int maxPoolSize) {
    this.maxPoolSize = (int) atLeast("maxPoolSize", maxPoolSize, 1);
    return this;
  }

  public int getMaxPoolWaiting() {
    return maxPoolWaiting;
  }

  public EventsOptions setMaxPoolWaiting(int maxPoolWaiting) {
    this.maxPoolWaiting = (int) atLeast("maxPoolWaiting", maxPoolWaiting, 1);
    return this;
  }

  private static long atLeast(String key, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException("events." + key + " must be >= " + min + ", but was " + value);
    }
    return value;
  }
}
