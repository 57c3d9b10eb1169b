package io.weft.launcher.impl;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** What one bench run does. */
record BenchPlan(String scenario, String host, int port, String token, String namespace, int connections,
                 int inflight, Duration duration, Duration warmup, int payloadBytes, long timeoutMs, int threads) {

  JsonObject toJson() {
    return new JsonObject()
        .put("scenario", scenario)
        .put("gate", host + ":" + port)
        .put("connections", connections)
        .put("inflight", inflight)
        .put("durationSec", duration.toMillis() / 1000.0)
        .put("warmupSec", warmup.toMillis() / 1000.0)
        .put("payloadBytes", payloadBytes)
        .put("threads", threads);
  }
}
