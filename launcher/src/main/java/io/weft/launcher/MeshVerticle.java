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
import io.weft.core.trace.MeshTracing;
import io.weft.gate.GateOptions;
import io.weft.gate.GateVerticle;
import io.weft.launcher.impl.OtlpTracers;
import io.weft.push.PushHost;
import io.weft.service.ServiceHost;
import io.weft.service.ServiceOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the roles a {@link MeshConfig} names: gates (several verticle instances sharing a port)
 * and service instances. The config is its deployment config, overridden by the environment
 * variables of {@link EnvOverrides}, read with vertx-config. A bad config, or a role that fails to
 * start, fails the deployment, so the process exits with the reason. With a {@code tracing}
 * section, the roles record spans and export them over OTLP.
 */
public class MeshVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(MeshVerticle.class);

  /** The span exporters, when the config has a {@code tracing} section. */
  private OtlpTracers tracers;

  @Override
  public Future<?> start() {
    return load().compose(config -> {
      startTracing(config);
      return deployRoles(config);
    });
  }

  /** The roles are undeployed first: their last spans are in the queue, to be exported now. */
  @Override
  public Future<?> stop() {
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
        services.add(vertx.deployVerticle(new ServiceHost(options, null)));
      }
    }
    if (config.push() != null) {
      services.add(vertx.deployVerticle(new PushHost(config.push())));
    }
    return Future.all(services).compose(v -> {
      List<Future<String>> gates = new ArrayList<>();
      for (GateOptions gate : config.gates()) {
        gates.add(vertx.deployVerticle(() -> new GateVerticle(gate), new DeploymentOptions().setInstances(gate.getInstances())));
      }
      return Future.all(gates);
    }).onSuccess(v -> log.info("Weft mesh started: " + config.gates().size()
        + " gate(s), " + config.services().stream().mapToInt(MeshConfig.ServiceRole::replicas).sum()
        + " service instance(s)" + (config.push() == null ? "" : ", the push service")));
  }
}
