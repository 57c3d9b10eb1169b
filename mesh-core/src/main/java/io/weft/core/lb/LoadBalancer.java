package io.weft.core.lb;

import java.util.List;

/**
 * Chooses one instance for a call. Implementations are used from one event loop and need not be
 * thread-safe.
 * <p>
 * The candidates may differ from one call to the next: instances come and go, and calls with route
 * {@code Tags} see only the matching instances (see {@link Tags#matching}). The caller may reuse
 * and refill one list object between calls. Stateful balancers therefore key their state by
 * {@link Endpoint#id()} (never by list object or position), notice a changed list by comparing its
 * elements, never return an endpoint that is not in the list they were given, hold no reference to
 * an endpoint beyond the current list, and forget instances that stay away. In the steady state
 * (the same list, or lists, as on recent calls) {@code select} allocates nothing.
 */
@FunctionalInterface
public interface LoadBalancer {

  /**
   * @param candidates the eligible instances, never empty, ids unique; read during the call only
   * @param hashKey the call's {@code HashKey}, or {@code null}
   * @return one of {@code candidates}
   */
  <E extends Endpoint> E select(List<E> candidates, String hashKey);
}
