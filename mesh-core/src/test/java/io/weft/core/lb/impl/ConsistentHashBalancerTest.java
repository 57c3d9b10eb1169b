package io.weft.core.lb.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.weft.core.lb.TestEndpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConsistentHashBalancerTest {

  private static final int KEYS = 10_000;

  private static List<TestEndpoint> instances(int n) {
    List<TestEndpoint> list = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      list.add(new TestEndpoint("10.0.0." + i + ":7000"));
    }
    return list;
  }

  /** The id each key goes to. */
  private static String[] owners(ConsistentHashBalancer lb, List<TestEndpoint> candidates) {
    String[] owners = new String[KEYS];
    for (int k = 0; k < KEYS; k++) {
      owners[k] = lb.select(candidates, "user-" + k).id();
    }
    return owners;
  }

  private static Map<String, Integer> load(String[] owners) {
    Map<String, Integer> load = new HashMap<>();
    for (String owner : owners) {
      load.merge(owner, 1, Integer::sum);
    }
    return load;
  }

  @Test
  void aKeyStaysOnItsInstanceWhileTheSetIsStable() {
    List<TestEndpoint> ten = instances(10);
    ConsistentHashBalancer lb = new ConsistentHashBalancer();
    String[] first = owners(lb, ten);
    assertThat(owners(lb, ten)).containsExactly(first);
    for (int i = 0; i < 100; i++) {
      assertThat(lb.select(ten, "user-7").id()).isEqualTo(first[7]);
    }
  }

  @Test
  void theMappingDependsOnTheSetAloneNotOnOrderOrBalancer() {
    List<TestEndpoint> ten = instances(10);
    String[] first = owners(new ConsistentHashBalancer(), ten);
    List<TestEndpoint> shuffled = new ArrayList<>(ten);
    Collections.shuffle(shuffled, new Random(5));
    assertThat(owners(new ConsistentHashBalancer(), shuffled)).containsExactly(first);
    // other objects with the same ids (another gate, another event loop)
    assertThat(owners(new ConsistentHashBalancer(), instances(10))).containsExactly(first);
  }

  @Test
  void keysSpreadRoughlyEvenly() {
    Map<String, Integer> load = load(owners(new ConsistentHashBalancer(), instances(10)));
    assertThat(load).hasSize(10);
    // 160 points each: the spread of shares is about 1/sqrt(160), some 8%
    assertThat(load.values()).allSatisfy(n -> assertThat(n).isBetween(750, 1_250));
  }

  @Test
  void whenOneInstanceOfTenLeavesOnlyItsKeysMove() {
    List<TestEndpoint> ten = instances(10);
    ConsistentHashBalancer lb = new ConsistentHashBalancer();
    String[] before = owners(lb, ten);
    TestEndpoint departed = ten.remove(3); // in place, as the gate does
    String[] after = owners(lb, ten);
    int moved = 0;
    for (int k = 0; k < KEYS; k++) {
      if (!after[k].equals(before[k])) {
        moved++;
        assertThat(before[k]).as("key %d moved", k).isEqualTo(departed.id());
      }
      assertThat(after[k]).isNotEqualTo(departed.id());
    }
    assertThat(moved / (double) KEYS).isLessThan(0.15).isGreaterThan(0.05);
    // its keys spread over the others rather than all landing on one neighbour
    Set<String> heirs = new HashSet<>();
    for (int k = 0; k < KEYS; k++) {
      if (before[k].equals(departed.id())) {
        heirs.add(after[k]);
      }
    }
    assertThat(heirs.size()).isGreaterThan(5);
    // and when it comes back, its keys come back to it
    ten.add(departed);
    assertThat(owners(lb, ten)).containsExactly(before);
  }

  @Test
  void aJoiningInstanceTakesAboutItsShareAndOnlyThat() {
    List<TestEndpoint> ten = instances(10);
    ConsistentHashBalancer lb = new ConsistentHashBalancer();
    String[] before = owners(lb, ten);
    TestEndpoint joined = new TestEndpoint("10.0.0.99:7000");
    ten.add(joined);
    String[] after = owners(lb, ten);
    int moved = 0;
    for (int k = 0; k < KEYS; k++) {
      if (!after[k].equals(before[k])) {
        moved++;
        assertThat(after[k]).isEqualTo(joined.id());
      }
    }
    assertThat(moved / (double) KEYS).isCloseTo(1 / 11.0, within(0.04));
  }

  @Test
  void filteredListsDoNotDisturbTheRingAndMapAsAFreshRingWould() {
    List<TestEndpoint> ten = instances(10);
    List<TestEndpoint> tagged = new ArrayList<>(List.of(ten.get(1), ten.get(4), ten.get(8)));
    ConsistentHashBalancer lb = new ConsistentHashBalancer();
    String[] full = owners(lb, ten);
    int ring = lb.ringSize();
    String[] subset = new String[KEYS];
    for (int k = 0; k < KEYS; k++) {
      // one balancer, alternating lists: as the gate does for calls with and without route tags
      subset[k] = lb.select(tagged, "user-" + k).id();
      assertThat(lb.select(ten, "user-" + k).id()).isEqualTo(full[k]);
    }
    assertThat(subset).containsExactly(owners(new ConsistentHashBalancer(), tagged));
    assertThat(lb.ringSize()).isEqualTo(ring);
    // a key owned by a member of the subset stays on it
    Set<String> taggedIds = new HashSet<>();
    tagged.forEach(e -> taggedIds.add(e.id()));
    for (int k = 0; k < KEYS; k++) {
      if (taggedIds.contains(full[k])) {
        assertThat(subset[k]).isEqualTo(full[k]);
      }
    }
  }

  @Test
  void heavierInstancesOwnMoreOfTheRing() {
    List<TestEndpoint> list = instances(6);
    list.get(0).weight = 3;
    ConsistentHashBalancer lb = new ConsistentHashBalancer();
    Map<String, Integer> load = load(owners(lb, list));
    assertThat(load.get(list.get(0).id()) / (double) KEYS).isCloseTo(3 / 8.0, within(0.06));
    assertThat(lb.ringSize()).isEqualTo(8 * ConsistentHashBalancer.POINTS_PER_WEIGHT);
  }

  @Test
  void aWeightChangeTakesEffectAndMovesKeysOnlyToTheReweightedInstance() {
    List<TestEndpoint> list = instances(5);
    ConsistentHashBalancer lb = new ConsistentHashBalancer();
    String[] before = owners(lb, list);
    TestEndpoint grown = list.get(2);
    grown.weight = 2;
    // weights are re-read when the list changes or at the periodic check
    for (int i = 0; i < EndpointStates.PRUNE_INTERVAL; i++) {
      lb.select(list, "warm");
    }
    String[] after = owners(lb, list);
    for (int k = 0; k < KEYS; k++) {
      if (!after[k].equals(before[k])) {
        assertThat(after[k]).isEqualTo(grown.id());
      }
    }
    assertThat(load(after).get(grown.id()) / (double) KEYS).isCloseTo(2 / 6.0, within(0.06));
  }

  @Test
  void hugeWeightsAreCappedOnTheRing() {
    List<TestEndpoint> list = instances(2);
    list.get(0).weight = 1_000_000;
    ConsistentHashBalancer lb = new ConsistentHashBalancer();
    lb.select(list, "k");
    assertThat(lb.ringSize()).isEqualTo((ConsistentHashBalancer.MAX_RING_WEIGHT + 1) * ConsistentHashBalancer.POINTS_PER_WEIGHT);
  }

  @Test
  void departedInstancesLeaveTheRingAfterAWhile() {
    List<TestEndpoint> ten = instances(10);
    ConsistentHashBalancer lb = new ConsistentHashBalancer();
    owners(lb, ten);
    List<TestEndpoint> five = new ArrayList<>(ten.subList(0, 5));
    lb.select(five, "k");
    assertThat(lb.trackedCount()).isEqualTo(10);
    String[] owners = owners(lb, five); // 10,000 more calls: past the retention
    assertThat(lb.trackedCount()).isEqualTo(5);
    assertThat(lb.ringSize()).isEqualTo(5 * ConsistentHashBalancer.POINTS_PER_WEIGHT);
    assertThat(owners(lb, five)).containsExactly(owners);
    // slots of forgotten ids are reused by newcomers without confusion
    List<TestEndpoint> others = new ArrayList<>(five);
    others.add(new TestEndpoint("10.0.1.1:7000"));
    others.add(new TestEndpoint("10.0.1.2:7000"));
    assertThat(owners(lb, others)).containsExactly(owners(new ConsistentHashBalancer(), others));
  }

  @Test
  void callsWithoutAKeyGoRoundRobin() {
    List<TestEndpoint> three = TestEndpoint.named("n", 3);
    ConsistentHashBalancer lb = new ConsistentHashBalancer();
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      s.append(lb.select(three, null).id()).append(' ');
    }
    assertThat(s.toString()).isEqualTo("n0 n1 n2 n0 ");
  }

  @Test
  void keyHashesAreWellSpread() {
    int[] highBitSet = new int[64];
    Set<Long> distinct = new HashSet<>();
    for (int k = 0; k < KEYS; k++) {
      long h = ConsistentHashBalancer.hash64("user-" + k);
      distinct.add(h);
      for (int b = 0; b < 64; b++) {
        highBitSet[b] += (int) ((h >>> b) & 1);
      }
    }
    assertThat(distinct).hasSize(KEYS);
    for (int b = 0; b < 64; b++) {
      assertThat(highBitSet[b]).as("bit %d", b).isBetween(4_700, 5_300);
    }
  }
}
