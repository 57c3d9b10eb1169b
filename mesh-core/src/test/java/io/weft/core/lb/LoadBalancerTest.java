package io.weft.core.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What every strategy must do; each strategy's own behaviour is tested in {@code impl}. */
class LoadBalancerTest {

  record Node(String id) implements Endpoint {
  }

  private static final List<Node> NODES = List.of(new Node("a"), new Node("b"), new Node("c"));

  private static Map<String, Integer> spread(LoadBalancer lb, int calls) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < calls; i++) {
      counts.merge(lb.select(NODES, null).id(), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void roundRobinVisitsEachInstanceInTurn() {
    LoadBalancer lb = LoadBalancerType.ROUND_ROBIN.create();
    assertThat(List.of(lb.select(NODES, null), lb.select(NODES, null), lb.select(NODES, null), lb.select(NODES, null)))
        .extracting(Node::id).containsExactly("a", "b", "c", "a");
    assertThat(spread(lb, 3000)).containsEntry("a", 1000).containsEntry("b", 1000).containsEntry("c", 1000);
  }

  @Test
  void roundRobinAdaptsWhenTheListShrinks() {
    LoadBalancer lb = LoadBalancerType.ROUND_ROBIN.create();
    for (int i = 0; i < 7; i++) {
      lb.select(NODES, null);
    }
    List<Node> two = NODES.subList(0, 2);
    for (int i = 0; i < 10; i++) {
      assertThat(two).contains(lb.select(two, null));
    }
  }

  @Test
  void randomSpreadsRoughlyEvenly() {
    Map<String, Integer> counts = spread(LoadBalancerType.RANDOM.create(), 30_000);
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(9_000, 11_000));
  }

  @ParameterizedTest
  @EnumSource(LoadBalancerType.class)
  void aSingleCandidateIsAlwaysChosen(LoadBalancerType type) {
    LoadBalancer lb = type.create();
    List<Node> only = List.of(new Node("only"));
    for (int i = 0; i < 3; i++) {
      assertThat(lb.select(only, "k" + i).id()).isEqualTo("only");
      assertThat(lb.select(only, null).id()).isEqualTo("only");
    }
    // after a larger list, too
    lb.select(NODES, "k");
    assertThat(lb.select(only, "k").id()).isEqualTo("only");
  }

  @ParameterizedTest
  @EnumSource(LoadBalancerType.class)
  void everyStrategyReachesEveryInstance(LoadBalancerType type) {
    List<TestEndpoint> nodes = TestEndpoint.named("n", 4);
    LoadBalancer lb = type.create();
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 4_000; i++) {
      counts.merge(lb.select(nodes, type == LoadBalancerType.CONSISTENT_HASH ? "key" + i : null).id(), 1, Integer::sum);
    }
    assertThat(counts).containsOnlyKeys("n0", "n1", "n2", "n3");
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isGreaterThan(500));
  }

  /**
   * The gate refills one list in place as instances come and go and as route tags filter them: a
   * balancer must only ever answer with a member of the list it is given on that call.
   */
  @ParameterizedTest
  @EnumSource(LoadBalancerType.class)
  void neverReturnsAnInstanceMissingFromThisCallsList(LoadBalancerType type) {
    SplittableRandom random = new SplittableRandom(7);
    List<TestEndpoint> pool = TestEndpoint.named("i", 12);
    for (int i = 0; i < pool.size(); i++) {
      pool.get(i).weight = 1 + i % 4;
      pool.get(i).active = i % 3;
      pool.get(i).latencyNanos = i % 5 * 1_000_000;
    }
    LoadBalancer lb = type.create();
    List<TestEndpoint> list = new ArrayList<>();
    for (int round = 0; round < 2_000; round++) {
      if (round % 3 == 0 || list.isEmpty()) {
        list.clear();
        for (TestEndpoint e : pool) {
          if (random.nextInt(3) > 0) {
            list.add(e);
          }
        }
        if (list.isEmpty()) {
          list.add(pool.get(random.nextInt(pool.size())));
        }
      }
      for (int call = 0; call < 5; call++) {
        String key = call % 2 == 0 ? "user-" + random.nextInt(100) : null;
        assertThat(list).contains(lb.select(list, key)); // identity: TestEndpoint has no equals
      }
    }
  }

  /** Same list as last time: no allocation per call (a per-call object would show as megabytes). */
  @ParameterizedTest
  @EnumSource(LoadBalancerType.class)
  void steadyStateSelectionAllocatesNothing(LoadBalancerType type) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    List<TestEndpoint> nodes = TestEndpoint.named("n", 8);
    for (int i = 0; i < nodes.size(); i++) {
      nodes.get(i).weight = 1 + i;
      nodes.get(i).latencyNanos = 1_000_000 + i;
    }
    String[] keys = new String[256];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = "user-" + i;
    }
    LoadBalancer lb = type.create();
    Map<String, String> noTags = Map.of();
    List<TestEndpoint> reuse = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      lb.select(Tags.matching(nodes, noTags, reuse), keys[i & 255]);
    }
    long thread = Thread.currentThread().threadId();
    threads.getThreadAllocatedBytes(thread);
    long before = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < 100_000; i++) {
      lb.select(Tags.matching(nodes, noTags, reuse), (i & 1) == 0 ? keys[i & 255] : null);
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    assertThat(allocated).as("bytes allocated by 100,000 selections").isLessThan(64 * 1024);
  }

  @Test
  void typesAreNamedInConfigByTheirConfigName() {
    for (LoadBalancerType type : LoadBalancerType.values()) {
      assertThat(LoadBalancerType.fromConfig(type.configName())).isEqualTo(type);
      assertThat(LoadBalancerType.fromConfig(type.name())).isEqualTo(type);
    }
    assertThat(LoadBalancerType.fromConfig("ROUND_ROBIN")).isEqualTo(LoadBalancerType.ROUND_ROBIN);
    assertThat(LoadBalancerType.fromConfig(" Weighted-Round-Robin ")).isEqualTo(LoadBalancerType.WEIGHTED_ROUND_ROBIN);
    assertThat(LoadBalancerType.fromConfig("weighted-random")).isEqualTo(LoadBalancerType.WEIGHTED_RANDOM);
    assertThat(LoadBalancerType.fromConfig("consistent-hash")).isEqualTo(LoadBalancerType.CONSISTENT_HASH);
    assertThat(LoadBalancerType.fromConfig("least-active")).isEqualTo(LoadBalancerType.LEAST_ACTIVE);
    assertThat(LoadBalancerType.fromConfig("p2c")).isEqualTo(LoadBalancerType.P2C);
    assertThatThrownBy(() -> LoadBalancerType.fromConfig("fastest")).hasMessageContaining("fastest")
        .hasMessageContaining("random").hasMessageContaining("p2c");
    assertThatThrownBy(() -> LoadBalancerType.fromConfig(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDefaultIsPowerOfTwoChoices() {
    assertThat(LoadBalancerType.DEFAULT).isEqualTo(LoadBalancerType.P2C);
  }

  @ParameterizedTest
  @EnumSource(LoadBalancerType.class)
  void eachCreateGivesAFreshBalancer(LoadBalancerType type) {
    assertThat(type.create()).isNotSameAs(type.create());
  }
}
