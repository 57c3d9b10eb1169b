package io.weft.core.metrics;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * A role running in this process (a gate, a service instance, the push service) as the admin
 * endpoints see it: whether it is ready for traffic, and its state as JSON for {@code /status}.
 * Roles add themselves to {@link MeshMetrics#addRole} once started and remove themselves when
 * they stop.
 */
public interface ObservedRole {

  /** {@code gate}, {@code service} or {@code push}. */
  String kind();

  /** The role's id: a gate's {@code host:port}, a service instance's {@code namespace/name@host:port}. */
  String id();

  /** Ready for traffic: safe to read from any thread. */
  boolean isReady();

  /**
   * The role's state for {@code /status}, with rates and latencies from {@code rates}; computed on
   * the role's own context (its state is read where it is written).
   */
  Future<JsonObject> status(RateWindow rates);
}
