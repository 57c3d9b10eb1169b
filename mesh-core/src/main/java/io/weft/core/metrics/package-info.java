/**
 * How the mesh measures itself: the process's {@link io.weft.core.metrics.MeshMetrics} (a
 * Micrometer Prometheus registry, the roles the admin endpoints report on, and the sampler behind
 * their rates), the {@link io.weft.core.metrics.MeterGroup meters of a role} resolved once and
 * held by the hot path, the {@link io.weft.core.metrics.MeterNames names} operators see, and
 * {@link io.weft.core.metrics.RateWindow rates and latency percentiles} over the last few seconds.
 */
package io.weft.core.metrics;
