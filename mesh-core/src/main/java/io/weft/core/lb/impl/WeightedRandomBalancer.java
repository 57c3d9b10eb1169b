package io.weft.core.lb.impl;

import io.weft.core.lb.Endpoint;
import io.weft.core.lb.LoadBalancer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** Random choice with probability in proportion to weight; uniform when all weights are equal. */
public final class WeightedRandomBalancer implements LoadBalancer {

  private final RandomGenerator random;

  public WeightedRandomBalancer() {
    this(new SplittableRandom());
  }

  /** With a given source of randomness (tests seed one). */
  WeightedRandomBalancer(RandomGenerator random) {
    this.random = random;
  }

  @Override
  public <E extends Endpoint> E select(List<E> candidates, String hashKey) {
    int n = candidates.size();
    if (n == 1) {
      return candidates.get(0);
    }
    int first = Math.max(1, candidates.get(0).weight());
    long total = first;
    boolean equal = true;
    for (int i = 1; i < n; i++) {
      int weight = Math.max(1, candidates.get(i).weight());
      total += weight;
      equal &= weight == first;
    }
    if (equal) {
      return candidates.get(random.nextInt(n));
    }
    long point = random.nextLong(total);
    for (int i = 0; i < n - 1; i++) {
      point -= Math.max(1, candidates.get(i).weight());
      if (point < 0) {
        return candidates.get(i);
      }
    }
    return candidates.get(n - 1);
  }
}
