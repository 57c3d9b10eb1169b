/**
 * Load balancing: a {@link io.weft.core.lb.LoadBalancer} picks one {@link io.weft.core.lb.Endpoint}
 * among a service's eligible instances; {@link io.weft.core.lb.LoadBalancerType} names the
 * strategies config can choose.
 */
package io.weft.core.lb;
