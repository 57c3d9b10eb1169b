package io.weft.launcher;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a process sends its spans: the top-level {@code tracing} section of a mesh config. Without
 * it no span is recorded (calls still carry their {@code traceparent}); with it every role exports
 * its spans with OTLP over HTTP/protobuf (docs/OPERATIONS.md, "Tracing").
 * <pre>{@code
 * "tracing": {"endpoint": "http://127.0.0.1:4318/v1/traces", "headers": {"x-token": "..."},
 *             "sampleRatio": 1.0, "scheduleDelayMs": 1000, "timeoutMs": 10000, "maxQueueSize": 2048}
 * }</pre>
 * <ul>
 *   <li>{@code endpoint}: the collector's OTLP/HTTP traces URL (required).</li>
 *   <li>{@code headers}: sent with every export (a collector's credentials).</li>
 *   <li>{@code sampleRatio}: the share of new traces recorded (0 to 1); a call that arrives with a
 *   {@code traceparent} follows its sampled flag.</li>
 *   <li>{@code scheduleDelayMs}, {@code maxQueueSize}: spans are exported in batches at least
 *   this often; past {@code maxQueueSize} waiting spans, new ones are dropped rather than held.</li>
 *   <li>{@code timeoutMs}: how long one export may take.</li>
 * </ul>
 */
public final class TracingOptions {

  public static final double DEFAULT_SAMPLE_RATIO = 1.0;
  public static final long DEFAULT_SCHEDULE_DELAY_MS = 1_000;
  public static final long DEFAULT_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_MAX_QUEUE_SIZE = 2_048;

  private static final Set<String> KEYS = Set.of("endpoint", "headers", "sampleRatio", "scheduleDelayMs",
      "timeoutMs", "maxQueueSize");

  private String endpoint;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private double sampleRatio = DEFAULT_SAMPLE_RATIO;
  private long scheduleDelayMs = DEFAULT_SCHEDULE_DELAY_MS;
  private long timeoutMs = DEFAULT_TIMEOUT_MS;
  private int maxQueueSize = DEFAULT_MAX_QUEUE_SIZE;

  public TracingOptions() {
  }

  /** Reads the {@code tracing} section; unknown keys and bad values are refused, naming them. */
  public TracingOptions(JsonObject config) {
    for (String key : config.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key tracing." + key + "; known keys: " + new TreeSet<>(KEYS));
      }
    }
    setEndpoint(config.getString("endpoint"));
    Object headersValue = config.getValue("headers");
    if (headersValue != null) {
      if (!(headersValue instanceof JsonObject headersJson)) {
        throw new IllegalArgumentException("tracing.headers must be an object of strings");
      }
      for (String name : headersJson.fieldNames()) {
        if (!(headersJson.getValue(name) instanceof String value)) {
          throw new IllegalArgumentException("tracing.headers." + name + " must be a string");
        }
        headers.put(name, value);
      }
    }
    setSampleRatio(config.getDouble("sampleRatio", DEFAULT_SAMPLE_RATIO));
    setScheduleDelayMs(config.getLong("scheduleDelayMs", DEFAULT_SCHEDULE_DELAY_MS));
    setTimeoutMs(config.getLong("timeoutMs", DEFAULT_TIMEOUT_MS));
    setMaxQueueSize(config.getInteger("maxQueueSize", DEFAULT_MAX_QUEUE_SIZE));
  }

  public JsonObject toJson() {
    JsonObject out = new JsonObject().put("endpoint", endpoint);
    if (!headers.isEmpty()) {
      out.put("headers", new JsonObject(new LinkedHashMap<>(headers)));
    }
    return out.put("sampleRatio", sampleRatio)
        .put("scheduleDelayMs", scheduleDelayMs)
        .put("timeoutMs", timeoutMs)
        .put("maxQueueSize", maxQueueSize);
  }

  public String getEndpoint() {
    return endpoint;
  }

  public TracingOptions setEndpoint(String endpoint) {
    if (endpoint == null || endpoint.isBlank()) {
      throw new IllegalArgumentException("tracing.endpoint must name the collector's OTLP/HTTP traces URL, "
          + "e.g. http://127.0.0.1:4318/v1/traces");
    }
    URI uri;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tracing.endpoint is not a URL: " + endpoint);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("tracing.endpoint must be an http:// or https:// URL, but was " + endpoint);
    }
    this.endpoint = endpoint;
    return this;
  }

  public Map<String, String> getHeaders() {
    return Map.copyOf(headers);
  }

  public TracingOptions putHeader(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public double getSampleRatio() {
    return sampleRatio;
  }

  public TracingOptions setSampleRatio(double sampleRatio) {
    if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
      throw new IllegalArgumentException("tracing.sampleRatio must be between 0 and 1, but was " + sampleRatio);
    }
    this.sampleRatio = sampleRatio;
    return this;
  }

  public long getScheduleDelayMs() {
    return scheduleDelayMs;
  }

  public TracingOptions setScheduleDelayMs(long scheduleDelayMs) {
    if (scheduleDelayMs < 1) {
      throw new IllegalArgumentException("tracing.scheduleDelayMs must be >= 1, but was " + scheduleDelayMs);
    }
    this.scheduleDelayMs = scheduleDelayMs;
    return this;
  }

  public long getTimeoutMs() {
    return timeoutMs;
  }

  public TracingOptions setTimeoutMs(long timeoutMs) {
    if (timeoutMs < 1) {
      throw new IllegalArgumentException("tracing.timeoutMs must be >= 1, but was " + timeoutMs);
    }
    this.timeoutMs = timeoutMs;
    return this;
  }

  public int getMaxQueueSize() {
    return maxQueueSize;
  }

  public TracingOptions setMaxQueueSize(int maxQueueSize) {
    if (maxQueueSize < 1) {
      throw new IllegalArgumentException("tracing.maxQueueSize must be >= 1, but was " + maxQueueSize);
    }
    this.maxQueueSize = maxQueueSize;
    return this;
  }
}
