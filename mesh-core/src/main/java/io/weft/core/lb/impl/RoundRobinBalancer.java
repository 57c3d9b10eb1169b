package io.weft.core.lb.impl;

import io.weft.core.lb.Endpoint;
import io.weft.core.lb.LoadBalancer;
import java.util.List;

/** Each instance in turn. */
public final class RoundRobinBalancer implements LoadBalancer {

  private int position;

  @Override
  public <E extends Endpoint> E select(List<E> candidates, String hashKey) {
    // floorMod: the counter wraps to negative after 2^31 calls.
    return candidates.get(Math.floorMod(position++, candidates.size()));
  }
}
