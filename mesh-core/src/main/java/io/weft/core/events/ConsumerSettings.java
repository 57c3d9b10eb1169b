package io.weft.core.events;

/**
 * How one {@link StreamConsumer} consumes: the {@link EventsOptions} of its service, with what a
 * subscription overrides.
 *
 * @param ordered       one consumer of the group at a time reads (the holder of the lease), and
 *                      entries of one key are handled one after another, in lanes
 * @param lanes         lanes of an ordered consumer: keys are spread over them by hash
 * @param deleteHandled delete entries from the stream once handled or dead (persistent calls,
 *                      whose stream has one group)
 */
public record ConsumerSettings(boolean ordered, int lanes, int maxAttempts, long visibilityTimeoutMs,
                               long retryDelayMs, long blockMs, int batchSize, int maxInFlight,
                               boolean deleteHandled) {

  public ConsumerSettings {
    if (lanes < 1) {
      throw new IllegalArgumentException("lanes must be >= 1, but was " + lanes);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, but was " + maxAttempts);
    }
    if (visibilityTimeoutMs < 50) {
      throw new IllegalArgumentException("visibilityTimeoutMs must be >= 50, but was " + visibilityTimeoutMs);
    }
    if (retryDelayMs < 1) {
      throw new IllegalArgumentException("retryDelayMs must be >= 1, but was " + retryDelayMs);
    }
    if (blockMs < 10) {
      throw new IllegalArgumentException("blockMs must be >= 10, but was " + blockMs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, but was " + batchSize);
    }
    if (maxInFlight < 1 || maxInFlight > 4096) {
      throw new IllegalArgumentException("maxInFlight must be 1..4096, but was " + maxInFlight);
    }
  }

  /** Unordered consumption with the service's settings. */
  public static ConsumerSettings of(EventsOptions options) {
    return new ConsumerSettings(false, 1, options.getMaxAttempts(), options.getVisibilityTimeoutMs(),
        options.getRetryDelayMs(), options.getBlockMs(), options.getBatchSize(), options.getMaxInFlight(), false);
  }

  public ConsumerSettings withOrdered(int lanes) {
    return new ConsumerSettings(true, lanes, maxAttempts, visibilityTimeoutMs, retryDelayMs, blockMs, batchSize,
        maxInFlight, deleteHandled);
  }

  public ConsumerSettings withMaxAttempts(int maxAttempts) {
    return new ConsumerSettings(ordered, lanes, maxAttempts, visibilityTimeoutMs, retryDelayMs, blockMs, batchSize,
        maxInFlight, deleteHandled);
  }

  public ConsumerSettings withVisibilityTimeoutMs(long visibilityTimeoutMs) {
    return new ConsumerSettings(ordered, lanes, maxAttempts, visibilityTimeoutMs, retryDelayMs, blockMs, batchSize,
        maxInFlight, deleteHandled);
  }

  public ConsumerSettings withRetryDelayMs(long retryDelayMs) {
    return new ConsumerSettings(ordered, lanes, maxAttempts, visibilityTimeoutMs, retryDelayMs, blockMs, batchSize,
        maxInFlight, deleteHandled);
  }

  public ConsumerSettings withMaxInFlight(int maxInFlight) {
    return new ConsumerSettings(ordered, lanes, maxAttempts, visibilityTimeoutMs, retryDelayMs, blockMs, batchSize,
        maxInFlight, deleteHandled);
  }

  public ConsumerSettings withDeleteHandled(boolean deleteHandled) {
    return new ConsumerSettings(ordered, lanes, maxAttempts, visibilityTimeoutMs, retryDelayMs, blockMs, batchSize,
        maxInFlight, deleteHandled);
  }
}
