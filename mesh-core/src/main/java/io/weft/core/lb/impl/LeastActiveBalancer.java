package io.weft.core.lb.impl;

import io.weft.core.lb.Endpoint;
import io.weft.core.lb.LoadBalancer;
import java.util.List;

/**
 * The instance with the fewest calls in flight ({@link Endpoint#activeCalls()}). Ties go to each
 * of the least loaded in turn, so equally idle instances share the traffic evenly instead of the
 * first one taking it all. Weights are ignored.
 */
public final class LeastActiveBalancer implements LoadBalancer {

  private int position;

  @Override
  public <E extends Endpoint> E select(List<E> candidates, String hashKey) {
    int n = candidates.size();
    if (n == 1) {
      return candidates.get(0);
    }
    int fewest = Integer.MAX_VALUE;
    int ties = 0;
    int first = 0;
    for (int i = 0; i < n; i++) {
      int active = candidates.get(i).activeCalls();
      if (active < fewest) {
        fewest = active;
        ties = 1;
        first = i;
      } else if (active == fewest) {
        ties++;
      }
    }
    if (ties == 1) {
      return candidates.get(first);
    }
    // floorMod: the counter wraps to negative after 2^31 calls.
    int skip = Math.floorMod(position++, ties);
    for (int i = first; ; i++) {
      if (candidates.get(i).activeCalls() == fewest && skip-- == 0) {
        return candidates.get(i);
      }
    }
  }
}
