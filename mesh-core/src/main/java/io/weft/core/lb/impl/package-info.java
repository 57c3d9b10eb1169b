/**
 * The load-balancing strategies behind {@link io.weft.core.lb.LoadBalancerType}, one small class
 * each. Smooth weighted round robin keeps its current weights per candidate list; consistent hash
 * keeps its ring per instance id through {@code EndpointStates}, which lines per-id state up with a
 * changing candidate list and forgets instances that stay away.
 */
package io.weft.core.lb.impl;
