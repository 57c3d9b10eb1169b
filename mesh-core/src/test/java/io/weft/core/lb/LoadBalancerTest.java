package io.weft.core.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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

  @Test
  void aSingleCandidateIsAlwaysChosen() {
    for (LoadBalancerType type : LoadBalancerType.values()) {
      assertThat(type.create().select(List.of(new Node("only")), "k").id()).isEqualTo("only");
    }
  }

  @Test
  void typesAreNamedInConfigByTheirConfigName() {
    for (LoadBalancerType type : LoadBalancerType.values()) {
      assertThat(LoadBalancerType.fromConfig(type.configName())).isEqualTo(type);
    }
    assertThat(LoadBalancerType.fromConfig("ROUND_ROBIN")).isEqualTo(LoadBalancerType.ROUND_ROBIN);
    assertThatThrownBy(() -> LoadBalancerType.fromConfig("fastest")).hasMessageContaining("fastest").hasMessageContaining("random");
  }
}
