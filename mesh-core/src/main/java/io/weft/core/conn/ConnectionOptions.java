package io.weft.core.conn;

import io.vertx.core.json.JsonObject;

/**
 * Per-connection limits and heartbeat timing (PROTOCOL.md sections 1 and 7).
 * <p>
 * A peer that has received no frame for {@code heartbeatIdleMs} sends one heartbeat request; a
 * connection that has received no frame for {@code heartbeatDeadMs} is closed.
 */
public class ConnectionOptions {

  public static final int DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;
  public static final long DEFAULT_HEARTBEAT_IDLE_MS = 10_000;
  public static final long DEFAULT_HEARTBEAT_DEAD_MS = 20_000;
  public static final long DEFAULT_MAX_PENDING_WRITE_BYTES = 4L * 1024 * 1024;
  public static final int DEFAULT_WRITE_HIGH_WATER_BYTES = 1024 * 1024;

  private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
  private long heartbeatIdleMs = DEFAULT_HEARTBEAT_IDLE_MS;
  private long heartbeatDeadMs = DEFAULT_HEARTBEAT_DEAD_MS;
  private long maxPendingWriteBytes = DEFAULT_MAX_PENDING_WRITE_BYTES;
  private int writeHighWaterBytes = DEFAULT_WRITE_HIGH_WATER_BYTES;

  public ConnectionOptions() {
  }

  public ConnectionOptions(ConnectionOptions other) {
    this.maxFrameBytes = other.maxFrameBytes;
    this.heartbeatIdleMs = other.heartbeatIdleMs;
    this.heartbeatDeadMs = other.heartbeatDeadMs;
    this.maxPendingWriteBytes = other.maxPendingWriteBytes;
    this.writeHighWaterBytes = other.writeHighWaterBytes;
  }

  public ConnectionOptions(JsonObject json) {
    this();
    setMaxFrameBytes(json.getInteger("maxFrameBytes", DEFAULT_MAX_FRAME_BYTES));
    setWriteLimits(json.getInteger("writeHighWaterBytes", DEFAULT_WRITE_HIGH_WATER_BYTES),
        json.getLong("maxPendingWriteBytes", DEFAULT_MAX_PENDING_WRITE_BYTES));
    long idle = json.getLong("heartbeatIdleMs", DEFAULT_HEARTBEAT_IDLE_MS);
    long dead = json.getLong("heartbeatDeadMs", DEFAULT_HEARTBEAT_DEAD_MS);
    setHeartbeat(idle, dead);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("maxFrameBytes", maxFrameBytes)
        .put("heartbeatIdleMs", heartbeatIdleMs)
        .put("heartbeatDeadMs", heartbeatDeadMs)
        .put("maxPendingWriteBytes", maxPendingWriteBytes)
        .put("writeHighWaterBytes", writeHighWaterBytes);
  }

  public int getMaxFrameBytes() {
    return maxFrameBytes;
  }

  /** Largest frame body accepted (1 MiB by default); a larger length claim closes the connection. */
  public ConnectionOptions setMaxFrameBytes(int maxFrameBytes) {
    if (maxFrameBytes < 16) {
      throw new IllegalArgumentException("maxFrameBytes must be >= 16, but was " + maxFrameBytes);
    }
    this.maxFrameBytes = maxFrameBytes;
    return this;
  }

  public long getHeartbeatIdleMs() {
    return heartbeatIdleMs;
  }

  public long getHeartbeatDeadMs() {
    return heartbeatDeadMs;
  }

  /** Sets both heartbeat times at once, since each is validated against the other. */
  public ConnectionOptions setHeartbeat(long idleMs, long deadMs) {
    if (idleMs < 1) {
      throw new IllegalArgumentException("heartbeatIdleMs must be >= 1, but was " + idleMs);
    }
    if (deadMs <= idleMs) {
      throw new IllegalArgumentException("heartbeatDeadMs must be > heartbeatIdleMs (" + idleMs + "), but was " + deadMs);
    }
    this.heartbeatIdleMs = idleMs;
    this.heartbeatDeadMs = deadMs;
    return this;
  }

  public long getMaxPendingWriteBytes() {
    return maxPendingWriteBytes;
  }

  /**
   * Bytes that may wait in a connection's outbound buffer; a peer that lets more pile up (a slow
   * reader) is disconnected, so its backlog cannot grow without bound.
   */
  public ConnectionOptions setMaxPendingWriteBytes(long maxPendingWriteBytes) {
    if (maxPendingWriteBytes < 64 * 1024) {
      throw new IllegalArgumentException("maxPendingWriteBytes must be >= 65536, but was " + maxPendingWriteBytes);
    }
    this.maxPendingWriteBytes = maxPendingWriteBytes;
    return this;
  }

  public int getWriteHighWaterBytes() {
    return writeHighWaterBytes;
  }

  /** The high-water mark applied: {@link #getWriteHighWaterBytes()}, never above half of {@code maxPendingWriteBytes}. */
  public int effectiveWriteHighWaterBytes() {
    return (int) Math.min(writeHighWaterBytes, maxPendingWriteBytes / 2);
  }

  /**
   * Above this many bytes of unsent output (1 MiB by default; at most half of
   * {@code maxPendingWriteBytes}) a connection stops being writable, and its owner may stop reading
   * the peer's requests until the output drains to half of it (see
   * {@link MeshConnection#writabilityHandler}): a slow reader is paused first, and closed if its
   * backlog still reaches {@code maxPendingWriteBytes}.
   */
  public ConnectionOptions setWriteHighWaterBytes(int writeHighWaterBytes) {
    if (writeHighWaterBytes < 8 * 1024) {
      throw new IllegalArgumentException("writeHighWaterBytes must be >= 8192, but was " + writeHighWaterBytes);
    }
    this.writeHighWaterBytes = writeHighWaterBytes;
    return this;
  }

  /** Sets both write limits. */
  public ConnectionOptions setWriteLimits(int highWaterBytes, long maxPendingWriteBytes) {
    return setWriteHighWaterBytes(highWaterBytes).setMaxPendingWriteBytes(maxPendingWriteBytes);
  }
}
