package io.weft.core.lb.impl;

import io.weft.core.lb.Endpoint;
import io.weft.core.lb.LoadBalancer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Power of two choices over latency and load (as Finagle's and Linkerd's balancers): two distinct
 * candidates at random, and the one with the lower cost wins:
 * <pre>
 *   cost = latency EWMA x (calls in flight + 1) / weight
 * </pre>
 * A slow or backed-up instance loses most comparisons yet still gets calls whenever it is paired
 * with one that is even busier, so its latency keeps being measured and it regains traffic when it
 * recovers. Choosing between two random instances, not taking the single best, keeps many gates
 * from stampeding onto the same instance.
 * <p>
 * An instance with no measured latency yet ({@code latencyEwmaNanos() == 0}, typically one that
 * just joined) costs nothing while it has no call in flight, so it is probed at once; once it has
 * calls in flight it is priced at the average latency of the instances seen so far, so it takes a
 * fair share, not a flood, until its own replies are measured.
 */
public final class P2cBalancer implements LoadBalancer {

  /** Latency assumed when none has been measured on any instance. */
  static final double DEFAULT_LATENCY_NANOS = 1_000_000;
  /** Weight of each sample in the average of measured latencies. */
  private static final double MEAN_ALPHA = 1.0 / 64;

  private final RandomGenerator random;
  private double meanLatency;

  public P2cBalancer() {
    this(new SplittableRandom());
  }

  /** With a given source of randomness (tests seed one). */
  P2cBalancer(RandomGenerator random) {
    this.random = random;
  }

  @Override
  public <E extends Endpoint> E select(List<E> candidates, String hashKey) {
    int n = candidates.size();
    if (n == 1) {
      return candidates.get(0);
    }
    int i = random.nextInt(n);
    int j = random.nextInt(n - 1);
    if (j >= i) {
      j++;
    }
    E a = candidates.get(i);
    E b = candidates.get(j);
    return cost(b) < cost(a) ? b : a;
  }

  private double cost(Endpoint e) {
    double latency = e.latencyEwmaNanos();
    int active = e.activeCalls();
    if (latency > 0) {
      meanLatency = meanLatency == 0 ? latency : meanLatency + (latency - meanLatency) * MEAN_ALPHA;
    } else if (active <= 0) {
      return 0;
    } else {
      latency = meanLatency > 0 ? meanLatency : DEFAULT_LATENCY_NANOS;
    }
    return latency * (Math.max(0, active) + 1) / Math.max(1, e.weight());
  }
}
