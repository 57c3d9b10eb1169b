package io.weft.launcher;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.micrometer.backends.BackendRegistries;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.weft.core.metrics.MeshMetrics;
import io.weft.gate.GateOptions;
import io.weft.gate.GateVerticle;
import io.weft.launcher.impl.AdminServer;
import io.weft.core.trace.MeshTracing;
import io.weft.launcher.impl.OtlpTracers;
import io.weft.push.PushHost;
import io.weft.service.ServiceHost;
import io.weft.service.ServiceOptions;
import io.vertx.core.Closeable;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Starts the roles a {@link MeshConfig} names: gates (several verticle instances sharing a port)
 * and service instances. The config is its deployment config, overridden by the environment
 * variables of {@link EnvOverrides}, read with vertx-config. A bad config, or a role that fails to
 * start, fails the deployment, so the process exits with the reason. It installs the process's
 * {@link MeshMetrics} before any role, and starts the admin server (when the config has an
 * {@code admin} section) before the roles, so that probes get answers while they start.
 * <p>
 * When Vert.x closes (SIGTERM under {@code weft run}) it {@link #drain() drains} the roles before
 * any is undeployed: the gates first, then the services and the push service.
 * With a {@code tracing} section, the roles record spans and export them over OTLP.
 */
public class MeshVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(MeshVerticle.class);

  private final List<GateVerticle> gates = new CopyOnWriteArrayList<>();
  private final List<ServiceHost> hosts = new CopyOnWriteArrayList<>();
  /** Runs before Vert.x undeploys anything (children are undeployed before their parent's stop). */
  private final Closeable drainOnClose = completion -> drain().onComplete(completion);
  private MeshMetrics metrics;
  private AdminServer admin;
  private volatile boolean deployed;
  /** The span exporters, when the config has a {@code tracing} section. */
  private OtlpTracers tracers;

  @Override
  public Future<?> start() {
    ((VertxInternal) vertx).addCloseHook(drainOnClose);
    return load().compose(config -> {
      startTracing(config);
      return measure(config).compose(v -> deployRoles(config));
    }).onSuccess(v -> deployed = true);
  }

  /** The admin server, once started (for tests: its port). */
  public AdminServer admin() {
    return admin;
  }

  private Future<Void> measure(MeshConfig config) {
    // The registry Vert.x's own metrics go to when `weft run` enabled them; else one of our own.
    PrometheusMeterRegistry registry = vertx.isMetricsEnabled()
        && BackendRegistries.getDefaultNow() instanceof PrometheusMeterRegistry p ? p : null;
    metrics = MeshMetrics.install(vertx, registry, config.metrics());
    metrics.startSampling(vertx);
    if (config.admin() == null) {
      return Future.succeededFuture();
    }
    admin = new AdminServer(vertx, config.admin(), metrics, () -> deployed);
    return admin.start()
        .onSuccess(s -> log.info("Admin server at http://" + config.admin().getHost() + ":" + s.actualPort() + "/"))
        .mapEmpty();
  }

  /** The roles are undeployed first: their last spans are in the queue, to be exported now. */
  @Override
  public Future<?> stop() {
    ((VertxInternal) vertx).removeCloseHook(drainOnClose);
    deployed = false;
    if (metrics != null) {
      metrics.close(vertx);
    }
    if (tracers == null) {
      return Future.succeededFuture();
    }
    MeshTracing.uninstall(vertx);
    OtlpTracers closing = tracers;
    tracers = null;
    return vertx.executeBlocking(() -> {
      closing.close();
      return null;
    });
  }

  /** Before any role starts, so that each finds the tracer of its own name. */
  private void startTracing(MeshConfig config) {
    if (config.tracing() != null) {
      tracers = new OtlpTracers(config.tracing());
      MeshTracing.install(vertx, tracers);
      log.info("Exporting spans to " + config.tracing().getEndpoint());
    }
  }

  /**
   * Drains every role this process runs ({@link GateVerticle#drain()}, {@link ServiceHost#drain()}):
   * the gates first, so that their clients, who have their grace period to move to other gates,
   * can still call the services of this process meanwhile; then the services and the push
   * service, which other gates stop calling as they drain. Never fails.
   */
  public Future<Void> drain() {
    long started = System.nanoTime();
    log.info("Draining " + gates.size() + " gate instance(s), then " + hosts.size() + " service instance(s)");
    return Future.join(gates.stream().map(GateVerticle::drain).toList())
        .transform(v -> Future.join(hosts.stream().map(ServiceHost::drain).toList()))
        .transform(ar -> {
          if (ar.failed()) {
            log.warn("Draining failed: " + ar.cause());
          }
          log.info("Drained in " + (System.nanoTime() - started) / 1_000_000 + " ms");
          return Future.succeededFuture();
        });
  }

  private Future<MeshConfig> load() {
    ConfigRetrieverOptions retrieverOptions = new ConfigRetrieverOptions()
        .setScanPeriod(0)
        .addStore(new ConfigStoreOptions().setType("json").setConfig(config()))
        .addStore(new ConfigStoreOptions().setType("env")
            .setConfig(new JsonObject().put("keys", new JsonArray(EnvOverrides.names()))));
    ConfigRetriever retriever = ConfigRetriever.create(vertx, retrieverOptions);
    return retriever.getConfig()
        .eventually(() -> {
          retriever.close();
          return Future.succeededFuture();
        })
        .compose(merged -> {
          try {
            return Future.succeededFuture(new MeshConfig(EnvOverrides.apply(merged)));
          } catch (IllegalArgumentException e) {
            return Future.failedFuture(new IllegalArgumentException("bad config: " + e.getMessage(), e));
          }
        });
  }

  /** Services first, so that the gates find them registered when they start. */
  private Future<?> deployRoles(MeshConfig config) {
    List<Future<String>> services = new ArrayList<>();
    for (MeshConfig.ServiceRole role : config.services()) {
      for (int replica = 0; replica < role.replicas(); replica++) {
        ServiceOptions options = new ServiceOptions(role.options());
        if (options.getPort() != 0) {
          options.setPort(options.getPort() + replica);
        }
        ServiceHost host = new ServiceHost(options, null);
        hosts.add(host);
        services.add(vertx.deployVerticle(host));
      }
    }
    if (config.push() != null) {
      PushHost push = new PushHost(config.push());
      hosts.add(push);
      services.add(vertx.deployVerticle(push));
    }
    return Future.all(services).compose(v -> {
      List<Future<String>> gateDeployments = new ArrayList<>();
      for (GateOptions gate : config.gates()) {
        gateDeployments.add(vertx.deployVerticle(() -> {
          GateVerticle instance = new GateVerticle(gate);
          gates.add(instance);
          return instance;
        }, new DeploymentOptions().setInstances(gate.getInstances())));
      }
      return Future.all(gateDeployments);
    }).onSuccess(v -> log.info("Weft mesh started: " + config.gates().size()
        + " gate(s), " + config.services().stream().mapToInt(MeshConfig.ServiceRole::replicas).sum()
        + " service instance(s)" + (config.push() == null ? "" : ", the push service")));
  }
}
