/** The load-balancing strategies behind {@link io.weft.core.lb.LoadBalancerType}. */
package io.weft.core.lb.impl;
