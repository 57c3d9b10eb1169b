package io.weft.core.metrics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MetricsDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a process measures itself: the top-level {@code metrics} section of a mesh config.
 * <pre>{@code
 * {"velocityLogMs": 10000, "sampleMs": 1000, "windowMs": 5000, "topSources": 10, "jvm": true,
 *  "vertx": ["HTTP_SERVER", "NAMED_POOLS", "VERTICLES"]}
 * }</pre>
 * <ul>
 *   <li>{@code velocityLogMs}: every so often, one log line with the flow velocity (client
 *   requests, gate routes, service calls per second); 0 turns it off;</li>
 *   <li>{@code sampleMs}, {@code windowMs}: how often the rates shown by {@code /status} and the
 *   dashboard are sampled, and over how long a window they are taken;</li>
 *   <li>{@code topSources}: how many client sources (the {@code Client} label) each gate keeps a
 *   call count of per method, the busiest ones; 0 turns it off;</li>
 *   <li>{@code jvm}: JVM meters (memory, GC, threads, CPU);</li>
 *   <li>{@code vertx}: the Vert.x metrics domains to measure as well ({@link MetricsDomain} names).
 *   {@code NET_SERVER}, {@code NET_CLIENT} and {@code EVENT_BUS} measure every read, write and
 *   message of the hot path, so they are off unless named here.</li>
 * </ul>
 */
public class MeshMetricsOptions {

  public static final long DEFAULT_VELOCITY_LOG_MS = 10_000;
  public static final long DEFAULT_SAMPLE_MS = 1_000;
  public static final long DEFAULT_WINDOW_MS = 5_000;
  public static final int DEFAULT_TOP_SOURCES = 10;
  public static final int MAX_TOP_SOURCES = 1_000;
  public static final boolean DEFAULT_JVM = true;
  public static final List<String> DEFAULT_VERTX = List.of(MetricsDomain.HTTP_SERVER.name(),
      MetricsDomain.NAMED_POOLS.name(), MetricsDomain.VERTICLES.name());

  private static final Set<String> KEYS = Set.of("velocityLogMs", "sampleMs", "windowMs", "topSources", "jvm", "vertx");

  private long velocityLogMs = DEFAULT_VELOCITY_LOG_MS;
  private long sampleMs = DEFAULT_SAMPLE_MS;
  private long windowMs = DEFAULT_WINDOW_MS;
  private int topSources = DEFAULT_TOP_SOURCES;
  private boolean jvm = DEFAULT_JVM;
  private List<String> vertx = DEFAULT_VERTX;

  public MeshMetricsOptions() {
  }

  public MeshMetricsOptions(MeshMetricsOptions other) {
    this(other.toJson());
  }

  /** Reads the section; unknown keys are refused, naming the key. */
  public MeshMetricsOptions(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key " + key + "; known keys: " + new TreeSet<>(KEYS));
      }
    }
    setVelocityLogMs(json.getLong("velocityLogMs", DEFAULT_VELOCITY_LOG_MS));
    setSampleMs(json.getLong("sampleMs", DEFAULT_SAMPLE_MS));
    setWindowMs(json.getLong("windowMs", DEFAULT_WINDOW_MS));
    setTopSources(json.getInteger("topSources", DEFAULT_TOP_SOURCES));
    setJvm(json.getBoolean("jvm", DEFAULT_JVM));
    Object domains = json.getValue("vertx");
    if (domains != null && !(domains instanceof JsonArray)) {
      throw new IllegalArgumentException("vertx must be a list of Vert.x metrics domains, but was " + domains);
    }
    if (domains != null) {
      List<String> names = new ArrayList<>();
      for (Object o : (JsonArray) domains) {
        names.add(String.valueOf(o));
      }
      setVertx(names);
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("velocityLogMs", velocityLogMs)
        .put("sampleMs", sampleMs)
        .put("windowMs", windowMs)
        .put("topSources", topSources)
        .put("jvm", jvm)
        .put("vertx", new JsonArray(new ArrayList<>(vertx)));
  }

  public long getVelocityLogMs() {
    return velocityLogMs;
  }

  /** Period of the velocity log line; 0 turns it off. */
  public MeshMetricsOptions setVelocityLogMs(long velocityLogMs) {
    if (velocityLogMs < 0) {
      throw new IllegalArgumentException("velocityLogMs must be >= 0 (0: no velocity log), but was " + velocityLogMs);
    }
    this.velocityLogMs = velocityLogMs;
    return this;
  }

  public long getSampleMs() {
    return sampleMs;
  }

  /** How often rates are sampled. */
  public MeshMetricsOptions setSampleMs(long sampleMs) {
    if (sampleMs < 10 || sampleMs > 60_000) {
      throw new IllegalArgumentException("sampleMs must be 10..60000, but was " + sampleMs);
    }
    this.sampleMs = sampleMs;
    return this;
  }

  public long getWindowMs() {
    return windowMs;
  }

  /** The window rates and percentiles are taken over: at least one sample, at most 100. */
  public MeshMetricsOptions setWindowMs(long windowMs) {
    if (windowMs < 10 || windowMs > 600_000) {
      throw new IllegalArgumentException("windowMs must be 10..600000, but was " + windowMs);
    }
    this.windowMs = windowMs;
    return this;
  }

  public int getTopSources() {
    return topSources;
  }

  /** How many of the busiest client sources each gate counts per method; 0 turns it off. */
  public MeshMetricsOptions setTopSources(int topSources) {
    if (topSources < 0 || topSources > MAX_TOP_SOURCES) {
      throw new IllegalArgumentException("topSources must be 0.." + MAX_TOP_SOURCES + ", but was " + topSources);
    }
    this.topSources = topSources;
    return this;
  }

  public boolean isJvm() {
    return jvm;
  }

  public MeshMetricsOptions setJvm(boolean jvm) {
    this.jvm = jvm;
    return this;
  }

  public List<String> getVertx() {
    return vertx;
  }

  /** The Vert.x metrics domains measured, by {@link MetricsDomain} name (case-insensitive). */
  public MeshMetricsOptions setVertx(List<String> domains) {
    List<String> names = new ArrayList<>();
    for (String name : domains) {
      try {
        names.add(MetricsDomain.valueOf(name.toUpperCase(Locale.ROOT)).name());
      } catch (IllegalArgumentException | NullPointerException e) {
        List<String> known = new ArrayList<>();
        for (MetricsDomain d : MetricsDomain.values()) {
          known.add(d.name());
        }
        throw new IllegalArgumentException("vertx: unknown metrics domain '" + name + "'; known: " + known);
      }
    }
    this.vertx = List.copyOf(names);
    return this;
  }
}
