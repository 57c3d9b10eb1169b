package io.weft.core.lb;

import java.util.List;

/**
 * Chooses one instance for a call. Implementations are used from one event loop and need not be
 * thread-safe.
 */
@FunctionalInterface
public interface LoadBalancer {

  /**
   * @param candidates the eligible instances, never empty
   * @param hashKey the call's {@code HashKey}, or {@code null}
   */
  <E extends Endpoint> E select(List<E> candidates, String hashKey);
}
