package io.weft.launcher.impl;

import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.weft.core.metrics.MeshMetrics;
import io.weft.core.metrics.MeshMetricsOptions;
import io.weft.launcher.LoggingOptions;
import io.weft.launcher.MeshVerticle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code weft run <conf>}: starts the roles the config names, through Vert.x's
 * {@link VertxApplication}, and keeps running. SIGTERM (or Ctrl-C) drains every role, closes
 * Vert.x and exits with status 0 ({@link GracefulExit}).
 * The config's {@code logging} section is applied first.
 */
@Command(name = "run", description = "Start the roles a JSON config names (gates, services).")
public final class RunCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "CONF", description = "The mesh config, e.g. conf/local.json.")
  Path conf;

  @Override
  public Integer call() {
    JsonObject config;
    try {
      config = new JsonObject(Files.readString(conf));
    } catch (IOException e) {
      System.err.println("weft: cannot read " + conf + ": " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      System.err.println("weft: " + conf + " is not a JSON object: " + e.getMessage());
      return 2;
    }
    try {
      Object logging = config.getValue("logging");
      if (logging != null && !(logging instanceof JsonObject)) {
        throw new IllegalArgumentException("logging must be an object");
      }
      LogSetup.apply(logging == null ? new LoggingOptions() : new LoggingOptions((JsonObject) logging));
    } catch (IllegalArgumentException e) {
      System.err.println("weft: bad config: " + e.getMessage());
      return 2;
    }
    List<String> args = new ArrayList<>(List.of(MeshVerticle.class.getName(), "-conf", config.encode()));
    int eventLoops = eventLoops(config);
    if (eventLoops > 0) {
      args.addAll(List.of("-options", new JsonObject().put("eventLoopPoolSize", eventLoops).encode()));
    }
    AtomicReference<Vertx> started = new AtomicReference<>();
    GracefulExit.install(started::get);
    return new VertxApplication(args.toArray(String[]::new), new Measured(config, started)).launch();
  }

  /**
   * Vert.x measures itself into the registry the mesh's meters go to, in the domains the config's
   * {@code metrics.vertx} names (the hot path's domains are off by default).
   */
  private record Measured(JsonObject config, AtomicReference<Vertx> started) implements VertxApplicationHooks {

    @Override
    public void afterVertxStarted(HookContext context) {
      // For GracefulExit: a signal closes this Vert.x, which drains the roles first.
      started.set(context.vertx());
    }

    @Override
    public VertxBuilder createVertxBuilder(VertxOptions options) {
      MeshMetricsOptions metrics;
      try {
        Object section = config.getValue("metrics");
        metrics = section instanceof JsonObject json ? new MeshMetricsOptions(json) : new MeshMetricsOptions();
      } catch (IllegalArgumentException e) {
        // MeshConfig refuses the config with the reason once the mesh starts.
        metrics = new MeshMetricsOptions();
      }
      MicrometerMetricsOptions micrometer = new MicrometerMetricsOptions().setEnabled(true);
      for (MetricsDomain domain : MetricsDomain.values()) {
        if (!metrics.getVertx().contains(domain.name())) {
          micrometer.addDisabledMetricsCategory(domain);
        }
      }
      return Vertx.builder()
          .with(options.setMetricsOptions(micrometer))
          .withMetrics(new MicrometerMetricsFactory(MeshMetrics.newRegistry()));
    }
  }

  private static int eventLoops(JsonObject config) {
    String env = System.getenv("WEFT_EVENT_LOOPS");
    if (env != null && !env.isBlank()) {
      try {
        return Integer.parseInt(env.trim());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    Object value = config.getValue("eventLoops");
    return value instanceof Number n ? n.intValue() : 0;
  }
}
