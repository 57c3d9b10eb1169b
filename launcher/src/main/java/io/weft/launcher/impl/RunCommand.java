package io.weft.launcher.impl;

import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.VertxApplication;
import io.weft.launcher.LoggingOptions;
import io.weft.launcher.MeshVerticle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code weft run <conf>}: starts the roles the config names, through Vert.x's
 * {@link VertxApplication} (so SIGTERM undeploys them cleanly), and keeps running. The config's
 * {@code logging} section is applied first.
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
    return new VertxApplication(args.toArray(String[]::new)).launch();
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
