/**
 * The Java client SDK: {@link io.weft.core.client.MeshClient} holds one connection to a gate and
 * makes calls through it, with per-call {@link io.weft.core.client.CallOptions} (budget, order
 * and hash keys, tags, trace); {@link io.weft.core.client.GateDraining} tells it that its gate is
 * shutting down and it should reconnect elsewhere.
 */
package io.weft.core.client;
