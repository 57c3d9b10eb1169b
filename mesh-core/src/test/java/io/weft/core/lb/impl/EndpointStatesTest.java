package io.weft.core.lb.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.core.lb.TestEndpoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointStatesTest {

  static final class Counter extends EndpointStates.State {
    int n;

    Counter(String id) {
      super(id);
    }
  }

  private final List<String> created = new ArrayList<>();
  private final List<String> forgotten = new ArrayList<>();
  private final EndpointStates<Counter> states = new EndpointStates<>(id -> {
    created.add(id);
    return new Counter(id);
  }, c -> forgotten.add(c.id));

  @Test
  void stateFollowsTheIdNotThePosition() {
    List<TestEndpoint> list = TestEndpoint.named("e", 3);
    assertThat(states.sync(list)).isTrue();
    states.at(2).n = 42;
    assertThat(states.sync(list)).isFalse();
    list.add(0, list.remove(2)); // e2 moves to the front
    assertThat(states.sync(list)).isTrue();
    assertThat(states.at(0).id).isEqualTo("e2");
    assertThat(states.at(0).n).isEqualTo(42);
    assertThat(states.at(0).index).isZero();
    assertThat(created).containsExactly("e0", "e1", "e2");
  }

  @Test
  void aReplacedObjectWithTheSameIdKeepsItsState() {
    List<TestEndpoint> list = TestEndpoint.named("e", 2);
    states.sync(list);
    states.at(1).n = 7;
    list.set(1, new TestEndpoint("e1")); // e.g. a reconnected link
    assertThat(states.sync(list)).isTrue();
    assertThat(states.at(1).n).isEqualTo(7);
    assertThat(created).hasSize(2);
  }

  @Test
  void absentIdsAreMarkedAndKeptForAWhile() {
    List<TestEndpoint> all = TestEndpoint.named("e", 4);
    states.sync(all);
    Counter e3 = states.at(3);
    List<TestEndpoint> some = new ArrayList<>(all.subList(0, 2));
    states.sync(some);
    assertThat(e3.index).isEqualTo(-1);
    assertThat(states.trackedCount()).isEqualTo(4);
    states.sync(all);
    assertThat(e3.index).isEqualTo(3);
    assertThat(states.at(3)).isSameAs(e3);
    assertThat(created).hasSize(4);
  }

  @Test
  void idsAbsentForLongAreForgotten() {
    List<TestEndpoint> all = TestEndpoint.named("e", 4);
    List<TestEndpoint> kept = new ArrayList<>(all.subList(0, 2));
    states.sync(all);
    for (int i = 0; i < EndpointStates.RETENTION_CALLS; i++) {
      states.sync(kept);
    }
    assertThat(forgotten).isEmpty(); // not before the retention
    for (int i = 0; i < EndpointStates.PRUNE_INTERVAL; i++) {
      states.sync(kept);
    }
    assertThat(forgotten).containsExactlyInAnyOrder("e2", "e3");
    assertThat(states.trackedCount()).isEqualTo(2);
    // an id that comes back after being forgotten starts afresh
    states.sync(all);
    assertThat(created).containsExactly("e0", "e1", "e2", "e3", "e2", "e3");
  }

  @Test
  void idsAlternatingWithFilteredListsAreNeverForgotten() {
    List<TestEndpoint> all = TestEndpoint.named("e", 4);
    List<TestEndpoint> filtered = List.of(all.get(1), all.get(3));
    for (int i = 0; i < 20_000; i++) {
      states.sync(i % 50 == 0 ? all : filtered);
    }
    assertThat(forgotten).isEmpty();
    assertThat(created).hasSize(4);
  }

  @Test
  void aShrunkListDropsItsReferencesToDepartedEndpoints() {
    List<TestEndpoint> list = TestEndpoint.named("e", 5);
    states.sync(list);
    states.sync(list.subList(0, 1));
    assertThat(states.at(0).id).isEqualTo("e0");
    assertThat(states.at(1)).isNull();
  }
}
