/**
 * Load balancing: a {@link io.weft.core.lb.LoadBalancer} picks one {@link io.weft.core.lb.Endpoint}
 * among a service's eligible instances; {@link io.weft.core.lb.LoadBalancerType} names the
 * strategies config can choose (round robin, random, their weighted forms, consistent hash on the
 * call's {@code HashKey}, least active, and the default, power of two choices over latency and
 * load); {@link io.weft.core.lb.Tags} narrows the candidates to those carrying a call's route tags.
 * Balancers are used from one event loop, cope with a different candidate list on every call and
 * allocate nothing per call in the steady state.
 */
package io.weft.core.lb;
