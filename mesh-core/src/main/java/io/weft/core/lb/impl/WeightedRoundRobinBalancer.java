package io.weft.core.lb.impl;

import io.weft.core.lb.Endpoint;
import io.weft.core.lb.LoadBalancer;
import java.util.List;

/**
 * Smooth weighted round robin, nginx's algorithm: on each call every candidate's current weight
 * grows by its weight, the largest wins and gives back the sum of the weights. Over any
 * sum-of-weights calls each instance gets exactly its share, interleaved rather than in bursts:
 * weights {5, 1, 1} give a, a, b, a, c, a, a. Weights are read on every call, so a changed weight
 * takes effect at once.
 * <p>
 * The guarantee holds per candidate list, so current weights belong to a list, identified by its
 * ids in order (a "cycle"), not to an instance alone: calls with route tags see a filtered list, and
 * sharing weights with the full list would skew both. The balancer keeps the cycles of up to
 * {@link #MAX_CYCLES} lists, least recently used out first, and drops a cycle unused for more than
 * {@link #IDLE_CALLS} calls (checked every 1024 calls). When an instance joins or leaves, the new
 * list starts a fresh cycle (as nginx does on reload) and the old one ages out; a cycle holds ids,
 * never endpoint objects.
 * <p>
 * Steady state: one id comparison per candidate (a reference comparison when the endpoint returns
 * the same string each time), nothing allocated.
 */
public final class WeightedRoundRobinBalancer implements LoadBalancer {

  /** Candidate lists whose cycles are kept at once. */
  static final int MAX_CYCLES = 8;
  /** Calls after which an unused cycle is dropped. */
  static final long IDLE_CALLS = 4096;
  private static final int SWEEP_INTERVAL = 1024;

  /** The current weights of one candidate list. */
  private static final class Cycle {
    final String[] ids;
    final long[] current;
    long lastUsed;

    Cycle(List<? extends Endpoint> candidates) {
      int n = candidates.size();
      ids = new String[n];
      current = new long[n];
      for (int i = 0; i < n; i++) {
        ids[i] = candidates.get(i).id();
      }
    }

    boolean matches(List<? extends Endpoint> candidates) {
      String[] own = ids;
      if (own.length != candidates.size()) {
        return false;
      }
      for (int i = 0; i < own.length; i++) {
        String id = candidates.get(i).id();
        if (id != own[i] && !id.equals(own[i])) {
          return false;
        }
      }
      return true;
    }
  }

  private final Cycle[] cycles = new Cycle[MAX_CYCLES];
  private Cycle last;
  private long calls;

  @Override
  public <E extends Endpoint> E select(List<E> candidates, String hashKey) {
    int n = candidates.size();
    if (n == 1) {
      return candidates.get(0);
    }
    long now = ++calls;
    Cycle cycle = last;
    if (cycle == null || !cycle.matches(candidates)) {
      cycle = cycleOf(candidates, now);
      last = cycle;
    }
    cycle.lastUsed = now;
    if (now % SWEEP_INTERVAL == 0) {
      dropIdleCycles(now);
    }
    long[] current = cycle.current;
    long total = 0;
    int best = 0;
    for (int i = 0; i < n; i++) {
      int weight = Math.max(1, candidates.get(i).weight());
      current[i] += weight;
      total += weight;
      if (current[i] > current[best]) {
        best = i;
      }
    }
    current[best] -= total;
    return candidates.get(best);
  }

  /** Cycles kept (for tests). */
  int cycleCount() {
    int count = 0;
    for (Cycle c : cycles) {
      if (c != null) {
        count++;
      }
    }
    return count;
  }

  private void dropIdleCycles(long now) {
    for (int i = 0; i < MAX_CYCLES; i++) {
      if (cycles[i] != null && now - cycles[i].lastUsed > IDLE_CALLS) {
        cycles[i] = null;
      }
    }
  }

  /** The kept cycle of this list, or a new one in place of an idle or the least recently used. */
  private Cycle cycleOf(List<? extends Endpoint> candidates, long now) {
    int free = -1;
    int oldest = 0;
    for (int i = 0; i < MAX_CYCLES; i++) {
      Cycle c = cycles[i];
      if (c != null && now - c.lastUsed > IDLE_CALLS) {
        cycles[i] = null;
        c = null;
      }
      if (c == null) {
        if (free < 0) {
          free = i;
        }
      } else if (c.matches(candidates)) {
        return c;
      } else if (cycles[oldest] == null || c.lastUsed < cycles[oldest].lastUsed) {
        oldest = i;
      }
    }
    Cycle fresh = new Cycle(candidates);
    cycles[free >= 0 ? free : oldest] = fresh;
    return fresh;
  }
}
