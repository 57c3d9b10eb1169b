package io.weft.core.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.distribution.pause.NoPauseDetector;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The metrics of one process (one Vert.x instance): the Prometheus registry every role registers
 * its meters in, the roles the admin endpoints report on, and the sampler that turns counters
 * into rates for {@code /status}, the dashboard and the velocity log.
 * <p>
 * The launcher {@link #install installs} it from the config's {@code metrics} section (with the
 * registry Vert.x's own metrics go to) before it deploys any role; a role deployed otherwise
 * finds one made with defaults.
 */
public final class MeshMetrics implements Shareable {

  private static final Logger log = LoggerFactory.getLogger(MeshMetrics.class);
  private static final String MAP = "weft.metrics";
  private static final String KEY = "metrics";

  private final PrometheusMeterRegistry registry;
  private final MeshMetricsOptions options;
  private final RateSampler sampler;
  private final List<ObservedRole> roles = new CopyOnWriteArrayList<>();
  private final long startedAtMs = System.currentTimeMillis();
  private JvmGcMetrics gc;
  private Vertx samplingVertx;
  private long sampleTimer = -1;
  private long velocityTimer = -1;
  private boolean lastLoggedIdle = true;

  private MeshMetrics(PrometheusMeterRegistry registry, MeshMetricsOptions options) {
    this.registry = registry;
    this.options = new MeshMetricsOptions(options);
    this.sampler = new RateSampler(registry, options.getWindowMs());
  }

  /** The process's metrics, made with defaults if nothing installed them. */
  public static MeshMetrics of(Vertx vertx) {
    return map(vertx).computeIfAbsent(KEY, k -> new MeshMetrics(newRegistry(), new MeshMetricsOptions()));
  }

  /**
   * Makes the process's metrics from {@code options}, with {@code registry} (the one Vert.x's own
   * metrics go to; {@code null} for a new one), binding the JVM meters if asked; returns the
   * metrics already there if something installed them first.
   */
  public static MeshMetrics install(Vertx vertx, PrometheusMeterRegistry registry, MeshMetricsOptions options) {
    LocalMap<String, MeshMetrics> map = map(vertx);
    MeshMetrics existing = map.get(KEY);
    if (existing != null) {
      return existing;
    }
    MeshMetrics metrics = new MeshMetrics(registry == null ? newRegistry() : registry, options);
    MeshMetrics raced = map.putIfAbsent(KEY, metrics);
    if (raced != null) {
      return raced;
    }
    if (options.isJvm()) {
      metrics.bindJvm();
    }
    return metrics;
  }

  /**
   * A registry as the mesh wants it: Prometheus, without pause detection (which would cost every
   * latency recorded a look at a background thread's clock-drift figures).
   */
  public static PrometheusMeterRegistry newRegistry() {
    return newRegistry(io.micrometer.core.instrument.Clock.SYSTEM);
  }

  /** The same, on {@code clock}: rates are taken over the registry's clock (tests move a mock one). */
  static PrometheusMeterRegistry newRegistry(io.micrometer.core.instrument.Clock clock) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
        new io.prometheus.metrics.model.registry.PrometheusRegistry(), clock);
    registry.config().pauseDetector(new NoPauseDetector());
    return registry;
  }

  private static LocalMap<String, MeshMetrics> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }

  private void bindJvm() {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public MeshMetricsOptions options() {
    return options;
  }

  /** When this process's metrics began (ms since the epoch). */
  public long startedAtMs() {
    return startedAtMs;
  }

  public void addRole(ObservedRole role) {
    roles.add(role);
  }

  public void removeRole(ObservedRole role) {
    roles.remove(role);
  }

  /** The roles running in this process, in the order they started. */
  public List<ObservedRole> roles() {
    return List.copyOf(roles);
  }

  /** The latest window of rates ({@link RateWindow#EMPTY} before sampling starts). */
  public RateWindow rates() {
    return sampler.latest();
  }

  /** Takes a sample now and returns the new window. */
  public RateWindow sample() {
    return sampler.sample();
  }

  /** Samples every {@code sampleMs} and logs the velocity every {@code velocityLogMs}, until {@link #close}. */
  public synchronized void startSampling(Vertx vertx) {
    if (samplingVertx != null) {
      return;
    }
    samplingVertx = vertx;
    sampler.sample();
    sampleTimer = vertx.setPeriodic(options.getSampleMs(), t -> sampler.sample());
    if (options.getVelocityLogMs() > 0) {
      velocityTimer = vertx.setPeriodic(options.getVelocityLogMs(), t -> logVelocity());
    }
  }

  private void logVelocity() {
    RateWindow.Velocity v = sampler.latest().velocity();
    // An idle mesh logs once that it went idle, not a line every period.
    if (!v.isIdle() || !lastLoggedIdle) {
      log.info(velocityLine(v));
    }
    lastLoggedIdle = v.isIdle();
  }

  /** The velocity log's line. */
  public static String velocityLine(RateWindow.Velocity v) {
    return "Velocity: " + rate(v.clientRequests()) + " client requests/s, " + rate(v.gateRoutes()) + " gate routes/s, "
        + rate(v.serviceCalls()) + " service calls/s, " + rate(v.pushes()) + " pushes/s, "
        + rate(v.eventsPublished()) + " events/s";
  }

  private static String rate(double perSecond) {
    return perSecond >= 10 || perSecond == 0 ? String.valueOf(Math.round(perSecond))
        : String.format(Locale.ROOT, "%.1f", perSecond);
  }

  /** Stops sampling and unbinds the JVM meters; the process's metrics are gone from its Vert.x. */
  public synchronized void close(Vertx vertx) {
    if (samplingVertx != null) {
      samplingVertx.cancelTimer(sampleTimer);
      if (velocityTimer >= 0) {
        samplingVertx.cancelTimer(velocityTimer);
      }
      samplingVertx = null;
    }
    if (gc != null) {
      gc.close();
      gc = null;
    }
    map(vertx).remove(KEY, this);
  }
}
