package io.weft.launcher.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.weft.core.metrics.MeshMetrics;
import io.weft.core.metrics.ObservedRole;
import io.weft.core.metrics.RateWindow;
import io.weft.launcher.AdminOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The process's admin HTTP server: {@code /health} (the process answers), {@code /ready} (every
 * role started, registered and connected), {@code /status} (the roles and their rates as JSON),
 * {@code /metrics} (Prometheus) and the dashboard at {@code /}, a static page polling
 * {@code /status}. It runs on the event loop of the verticle that starts it, apart from the
 * roles' own, so a busy role slows its own part of {@code /status} only.
 */
public final class AdminServer {

  /** Where the dashboard's files are, on the class path. */
  static final String DASHBOARD = "weft-admin";

  private final Vertx vertx;
  private final AdminOptions options;
  private final MeshMetrics metrics;
  private final BooleanSupplier started;
  private HttpServer server;

  /**
   * @param started whether every role the config names has been deployed: until then the
   *     process is not ready, whatever its roles started so far say
   */
  public AdminServer(Vertx vertx, AdminOptions options, MeshMetrics metrics, BooleanSupplier started) {
    this.vertx = vertx;
    this.options = new AdminOptions(options);
    this.metrics = metrics;
    this.started = started;
  }

  public Future<HttpServer> start() {
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/ready").handler(this::ready);
    router.get("/status").handler(this::status);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(metrics.registry()));
    router.get("/*").handler(StaticHandler.create(DASHBOARD).setCachingEnabled(false));
    return vertx.createHttpServer(new HttpServerOptions().setHost(options.getHost()).setPort(options.getPort()))
        .requestHandler(router)
        .listen()
        .onSuccess(s -> server = s);
  }

  /** The port it listens on (the chosen one when the config said 0). */
  public int port() {
    return server.actualPort();
  }

  /** Ready when every role is deployed and each says it is ready (the roles decide, draining included). */
  boolean isReady() {
    List<ObservedRole> roles = metrics.roles();
    if (!started.getAsBoolean() || roles.isEmpty()) {
      return false;
    }
    for (ObservedRole role : roles) {
      if (!role.isReady()) {
        return false;
      }
    }
    return true;
  }

  private void ready(RoutingContext ctx) {
    JsonArray roles = new JsonArray();
    for (ObservedRole role : metrics.roles()) {
      roles.add(new JsonObject().put("kind", role.kind()).put("id", role.id()).put("ready", role.isReady()));
    }
    boolean ready = isReady();
    json(ctx, ready ? 200 : 503, new JsonObject().put("status", ready ? "READY" : "NOT_READY").put("roles", roles));
  }

  private void status(RoutingContext ctx) {
    RateWindow rates = metrics.rates();
    List<ObservedRole> roles = metrics.roles();
    List<Future<JsonObject>> parts = new ArrayList<>(roles.size());
    for (ObservedRole role : roles) {
      // A role whose event loop is stuck shows as such instead of holding up the whole answer.
      parts.add(role.status(rates)
          .timeout(options.getStatusTimeoutMs(), TimeUnit.MILLISECONDS)
          .otherwise(e -> new JsonObject().put("kind", role.kind()).put("id", role.id()).put("ready", role.isReady())
              .put("error", "no status within " + options.getStatusTimeoutMs() + " ms: " + e.getMessage())));
    }
    Future.join(parts).onComplete(ar -> {
      JsonArray gates = new JsonArray();
      JsonArray services = new JsonArray();
      for (Future<JsonObject> part : parts) {
        JsonObject role = part.result();
        ("gate".equals(role.getString("kind")) ? gates : services).add(role);
      }
      RateWindow.Velocity v = rates.velocity();
      json(ctx, 200, new JsonObject()
          .put("ready", isReady())
          .put("startedAtMs", metrics.startedAtMs())
          .put("uptimeMs", System.currentTimeMillis() - metrics.startedAtMs())
          .put("windowMs", rates.spanMs())
          .put("velocity", new JsonObject()
              .put("clientRequestsPerSec", v.clientRequests())
              .put("gateRoutesPerSec", v.gateRoutes())
              .put("serviceCallsPerSec", v.serviceCalls())
              .put("pushesPerSec", v.pushes())
              .put("eventsPublishedPerSec", v.eventsPublished()))
          .put("gates", gates)
          .put("services", services));
    });
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store")
        .end(body.encode());
  }
}
