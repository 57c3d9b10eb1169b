package io.weft.core.lb.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.weft.core.lb.LoadBalancer;
import io.weft.core.lb.TestEndpoint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Least active and power of two choices. */
class LoadAwareBalancersTest {

  private static final double MS = 1_000_000;

  private static List<TestEndpoint> withActive(int... active) {
    List<TestEndpoint> list = TestEndpoint.named("e", active.length);
    for (int i = 0; i < active.length; i++) {
      list.get(i).active = active[i];
    }
    return list;
  }

  private static Map<String, Integer> count(LoadBalancer lb, List<TestEndpoint> candidates, int calls) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < calls; i++) {
      counts.merge(lb.select(candidates, null).id(), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void leastActivePicksTheIdleInstance() {
    assertThat(count(new LeastActiveBalancer(), withActive(3, 0, 2), 100)).containsOnlyKeys("e1");
    assertThat(count(new LeastActiveBalancer(), withActive(3, 1, 2), 100)).containsOnlyKeys("e1");
  }

  @Test
  void leastActiveSpreadsTiesEvenly() {
    assertThat(count(new LeastActiveBalancer(), withActive(1, 0, 5, 0, 0), 3_000))
        .containsOnlyKeys("e1", "e3", "e4").containsEntry("e1", 1_000).containsEntry("e3", 1_000).containsEntry("e4", 1_000);
    assertThat(count(new LeastActiveBalancer(), withActive(2, 2, 2, 2), 4_000)).containsOnlyKeys("e0", "e1", "e2", "e3")
        .allSatisfy((id, n) -> assertThat(n).isEqualTo(1_000));
  }

  @Test
  void leastActiveBalancesLoadAsCallsAreSent() {
    List<TestEndpoint> list = withActive(5, 0, 2);
    LeastActiveBalancer lb = new LeastActiveBalancer();
    for (int i = 0; i < 30; i++) {
      lb.select(list, null).active++;
    }
    // 37 calls in all: 12 or 13 each
    assertThat(list).allSatisfy(e -> assertThat(e.active).isBetween(12, 13));
  }

  @Test
  void p2cPrefersTheLowerLatency() {
    List<TestEndpoint> list = TestEndpoint.named("e", 3);
    list.get(0).latencyNanos = 1 * MS;
    list.get(1).latencyNanos = 2 * MS;
    list.get(2).latencyNanos = 10 * MS;
    Map<String, Integer> counts = count(new P2cBalancer(new SplittableRandom(11)), list, 30_000);
    // idle, fixed costs: a wins every pair it is in (2/3), b the pair (b, c)
    assertThat(counts.get("e0") / 30_000.0).isCloseTo(2 / 3.0, within(0.02));
    assertThat(counts.get("e1") / 30_000.0).isCloseTo(1 / 3.0, within(0.02));
    assertThat(counts).doesNotContainKey("e2");
  }

  @Test
  void p2cPrefersTheLowerLoad() {
    List<TestEndpoint> list = withActive(4, 0);
    list.forEach(e -> e.latencyNanos = 3 * MS);
    assertThat(count(new P2cBalancer(new SplittableRandom(1)), list, 1_000)).containsOnlyKeys("e1");
    // a slower but idle instance beats a faster, busy one: 5 ms x 1 < 1 ms x 6
    list.get(0).latencyNanos = 1 * MS;
    list.get(0).active = 5;
    list.get(1).latencyNanos = 5 * MS;
    assertThat(count(new P2cBalancer(new SplittableRandom(1)), list, 1_000)).containsOnlyKeys("e1");
  }

  @Test
  void p2cComparesTwoDistinctCandidates() {
    // with two candidates both are always compared: the cheaper one always wins
    List<TestEndpoint> list = TestEndpoint.named("e", 2);
    list.get(0).latencyNanos = 2 * MS;
    list.get(1).latencyNanos = 1 * MS;
    assertThat(count(new P2cBalancer(new SplittableRandom(3)), list, 1_000)).containsOnlyKeys("e1");
  }

  @Test
  void p2cHonoursWeights() {
    List<TestEndpoint> list = withActive(3, 3);
    list.forEach(e -> e.latencyNanos = 1 * MS);
    list.get(0).weight = 3;
    assertThat(count(new P2cBalancer(new SplittableRandom(3)), list, 100)).containsOnlyKeys("e0");
  }

  @Test
  void p2cProbesANewInstanceAtOnce() {
    List<TestEndpoint> list = TestEndpoint.named("e", 2);
    list.get(0).latencyNanos = 0.1 * MS;
    // e1 has no latency yet and nothing in flight
    assertThat(count(new P2cBalancer(new SplittableRandom(3)), list, 10)).containsOnlyKeys("e1");
  }

  @Test
  void p2cDoesNotStampedeOntoANewInstance() {
    // four known instances with 1 ms latency and a newcomer whose first replies have not come yet
    List<TestEndpoint> list = TestEndpoint.named("e", 5);
    for (int i = 0; i < 4; i++) {
      list.get(i).latencyNanos = 1 * MS;
    }
    P2cBalancer lb = new P2cBalancer(new SplittableRandom(9));
    for (int i = 0; i < 500; i++) {
      lb.select(list, null).active++; // no call completes
    }
    // priced at the mean known latency once busy, the newcomer gets a fair share, not all 500
    assertThat(list).allSatisfy(e -> assertThat(e.active).isBetween(80, 120));
  }

  @Test
  void p2cStillSendsSomeTrafficToASlowerInstanceUnderLoad() {
    // Calls arrive every 50 us; each takes its instance's latency; the latency EWMA is the true
    // latency. As the fast instances fill up, the slow one wins some comparisons.
    List<TestEndpoint> list = TestEndpoint.named("e", 3);
    long[] latency = {1_000_000, 2_000_000, 10_000_000};
    for (int i = 0; i < 3; i++) {
      list.get(i).latencyNanos = latency[i];
    }
    P2cBalancer lb = new P2cBalancer(new SplittableRandom(17));
    PriorityQueue<long[]> inFlight = new PriorityQueue<>((x, y) -> Long.compare(x[0], y[0]));
    int[] counts = new int[3];
    int calls = 100_000;
    for (long call = 0; call < calls; call++) {
      long now = call * 50_000;
      while (!inFlight.isEmpty() && inFlight.peek()[0] <= now) {
        list.get((int) inFlight.poll()[1]).active--;
      }
      TestEndpoint chosen = lb.select(list, null);
      int i = list.indexOf(chosen);
      chosen.active++;
      counts[i]++;
      inFlight.add(new long[] {now + latency[i], i});
    }
    assertThat(counts[0]).isGreaterThan(counts[1]);
    assertThat(counts[1]).isGreaterThan(counts[2]);
    assertThat(counts[2] / (double) calls).isGreaterThan(0.01);
    // nobody is left with a runaway queue
    assertThat(list).allSatisfy(e -> assertThat(e.active).isLessThan(40));
  }

  @Test
  void p2cWithoutAnyMeasurementBalancesOnLoadAlone() {
    List<TestEndpoint> list = TestEndpoint.named("e", 4);
    P2cBalancer lb = new P2cBalancer(new SplittableRandom(5));
    for (int i = 0; i < 400; i++) {
      lb.select(list, null).active++;
    }
    assertThat(list).allSatisfy(e -> assertThat(e.active).isBetween(90, 110));
  }
}
