package io.weft.launcher.impl;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** What one bench run does: {@code method} of {@code service}, with the scenario's args. */
record BenchPlan(BenchCommand.Scenario scenario, String service, String method, String host, int port, String token, String namespace,
                 int connections, int inflight, Duration duration, Duration warmup, int payloadBytes, long timeoutMs,
                 int threads, int pushers, int clientsPerConnection, String pushNamespace, double rate,
                 java.util.List<Long> sutPids) {

  JsonObject toJson() {
    return new JsonObject()
        .put("scenario", scenario.toString())
        .put("call", service + "." + method)
        .put("gate", host + ":" + port)
        .put("connections", connections)
        .put("inflight", inflight)
        .put("durationSec", duration.toMillis() / 1000.0)
        .put("warmupSec", warmup.toMillis() / 1000.0)
        .put("payloadBytes", payloadBytes)
        .put("threads", threads)
        .put("rate", rate);
  }
}
