package io.weft.core.lb.impl;

import io.weft.core.lb.Endpoint;
import io.weft.core.lb.LoadBalancer;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Uniform random choice. */
public final class RandomBalancer implements LoadBalancer {

  @Override
  public <E extends Endpoint> E select(List<E> candidates, String hashKey) {
    int n = candidates.size();
    return n == 1 ? candidates.get(0) : candidates.get(ThreadLocalRandom.current().nextInt(n));
  }
}
