package io.weft.core.lb.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.weft.core.lb.LoadBalancer;
import io.weft.core.lb.TestEndpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Smooth weighted round robin and weighted random. */
class WeightedBalancersTest {

  private static List<TestEndpoint> weighted(int... weights) {
    List<TestEndpoint> list = new ArrayList<>();
    for (int i = 0; i < weights.length; i++) {
      list.add(new TestEndpoint(String.valueOf((char) ('a' + i)), weights[i]));
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

  private static String sequence(LoadBalancer lb, List<TestEndpoint> candidates, int calls) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < calls; i++) {
      s.append(lb.select(candidates, null).id());
    }
    return s.toString();
  }

  @Test
  void smoothRoundRobinInterleavesAsNginxDoes() {
    WeightedRoundRobinBalancer lb = new WeightedRoundRobinBalancer();
    List<TestEndpoint> abc = weighted(5, 1, 1);
    assertThat(sequence(lb, abc, 7)).isEqualTo("aabacaa");
    assertThat(sequence(lb, abc, 14)).isEqualTo("aabacaa" + "aabacaa");
  }

  @Test
  void smoothRoundRobinGivesExactSharesOverEachCycle() {
    Map<String, Integer> counts = count(new WeightedRoundRobinBalancer(), weighted(1, 2, 7), 100_000);
    assertThat(counts).containsEntry("a", 10_000).containsEntry("b", 20_000).containsEntry("c", 70_000);
  }

  @Test
  void smoothRoundRobinWithEqualWeightsIsPlainRoundRobin() {
    assertThat(sequence(new WeightedRoundRobinBalancer(), weighted(3, 3, 3), 6)).isEqualTo("abcabc");
  }

  @Test
  void smoothRoundRobinFollowsWeightChanges() {
    WeightedRoundRobinBalancer lb = new WeightedRoundRobinBalancer();
    List<TestEndpoint> ab = weighted(1, 1);
    count(lb, ab, 11);
    ab.get(1).weight = 3;
    Map<String, Integer> counts = count(lb, ab, 4_000);
    assertThat(counts.get("b")).isBetween(2_995, 3_005);
  }

  @Test
  void smoothRoundRobinAdaptsToInstancesJoiningAndLeaving() {
    // each new list starts a fresh cycle, so shares are exact from the first call
    WeightedRoundRobinBalancer lb = new WeightedRoundRobinBalancer();
    List<TestEndpoint> list = weighted(5, 1, 1);
    TestEndpoint a = list.get(0);
    count(lb, list, 3);
    list.remove(a); // the gate edits its ready list in place
    assertThat(count(lb, list, 100)).containsOnlyKeys("b", "c").containsEntry("b", 50);
    list.add(new TestEndpoint("d", 2));
    assertThat(count(lb, list, 400)).containsEntry("b", 100).containsEntry("c", 100).containsEntry("d", 200);
    list.add(0, a);
    assertThat(sequence(lb, list, 9)).isEqualTo("adabacada");
  }

  @Test
  void smoothRoundRobinKeepsEachListsSharesWhenListsAlternate() {
    // Calls with route tags see a subset of the same instances, interleaved with untagged calls.
    WeightedRoundRobinBalancer lb = new WeightedRoundRobinBalancer();
    List<TestEndpoint> all = weighted(1, 2, 7, 10);
    List<TestEndpoint> tagged = new ArrayList<>();
    Map<String, Integer> untaggedCounts = new HashMap<>();
    Map<String, Integer> taggedCounts = new HashMap<>();
    for (int i = 0; i < 40_000; i++) {
      untaggedCounts.merge(lb.select(all, null).id(), 1, Integer::sum);
      tagged.clear(); // refilled in place, as Tags.matching does
      tagged.add(all.get(0));
      tagged.add(all.get(2));
      taggedCounts.merge(lb.select(tagged, null).id(), 1, Integer::sum);
    }
    assertThat(taggedCounts).containsEntry("a", 5_000).containsEntry("c", 35_000);
    assertThat(untaggedCounts).containsEntry("a", 2_000).containsEntry("b", 4_000).containsEntry("c", 14_000)
        .containsEntry("d", 20_000);
    assertThat(lb.cycleCount()).isEqualTo(2);
  }

  @Test
  void smoothRoundRobinKeepsABoundedNumberOfCyclesAndDropsIdleOnes() {
    WeightedRoundRobinBalancer lb = new WeightedRoundRobinBalancer();
    List<TestEndpoint> all = TestEndpoint.named("e", 20);
    for (int i = 0; i < 19; i++) {
      count(lb, all.subList(i, i + 2), 10);
    }
    assertThat(lb.cycleCount()).isEqualTo(WeightedRoundRobinBalancer.MAX_CYCLES);
    // the instances of the first lists left long ago: only the list in use remains
    count(lb, all.subList(0, 3), (int) WeightedRoundRobinBalancer.IDLE_CALLS + 1024);
    assertThat(lb.cycleCount()).isEqualTo(1);
  }

  @Test
  void weightedRandomRespectsWeightsWithinTwoPercent() {
    Map<String, Integer> counts = count(new WeightedRandomBalancer(new SplittableRandom(42)), weighted(1, 2, 7), 100_000);
    assertThat(counts.get("a") / 100_000.0).isCloseTo(0.1, within(0.02));
    assertThat(counts.get("b") / 100_000.0).isCloseTo(0.2, within(0.02));
    assertThat(counts.get("c") / 100_000.0).isCloseTo(0.7, within(0.02));
  }

  @Test
  void weightedRandomWithEqualWeightsIsUniform() {
    Map<String, Integer> counts = count(new WeightedRandomBalancer(new SplittableRandom(1)), weighted(4, 4, 4, 4), 40_000);
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(9_500, 10_500));
  }

  @Test
  void weightedRandomReachesTheLastCandidateAndOnlyListedOnes() {
    List<TestEndpoint> list = weighted(1, 1, 1000);
    WeightedRandomBalancer lb = new WeightedRandomBalancer(new SplittableRandom(3));
    Map<String, Integer> counts = count(lb, list, 10_000);
    assertThat(counts.get("c")).isGreaterThan(9_900);
    list.remove(2);
    assertThat(count(lb, list, 1_000)).containsOnlyKeys("a", "b");
  }
}
