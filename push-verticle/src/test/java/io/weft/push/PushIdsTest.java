package io.weft.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PushIdsTest {

  @Test
  void idsAre26CrockfordCharactersCarryingTheirTime() {
    long before = System.currentTimeMillis();
    String id = PushIds.next();
    long after = System.currentTimeMillis();

    assertThat(id).hasSize(PushIds.LENGTH).matches("[0-9A-HJKMNP-TV-Z]{26}");
    assertThat(PushIds.isValid(id)).isTrue();
    assertThat(PushIds.timestampOf(id)).isBetween(before, after);
  }

  @Test
  void idsSortByTimeAndStrictlyIncreaseWithinAMillisecond() {
    PushIds ids = new PushIds();
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      made.add(ids.nextAt(1_700_000_000_000L)); // all in one millisecond
    }
    made.add(ids.nextAt(1_700_000_000_001L));
    made.add(ids.nextAt(1_800_000_000_000L));

    assertThat(made).isSorted().doesNotHaveDuplicates();
    assertThat(PushIds.timestampOf(made.get(0))).isEqualTo(1_700_000_000_000L);
    assertThat(PushIds.timestampOf(made.get(made.size() - 1))).isEqualTo(1_800_000_000_000L);
  }

  @Test
  void aClockSteppingBackDoesNotBreakTheOrder() {
    PushIds ids = new PushIds();
    String first = ids.nextAt(2_000_000_000_000L);
    String second = ids.nextAt(1_000_000_000_000L);

    assertThat(second).isGreaterThan(first);
    assertThat(PushIds.timestampOf(second)).isEqualTo(2_000_000_000_000L);
  }

  @Test
  void concurrentCallersGetDistinctIds() throws Exception {
    List<Thread> threads = new ArrayList<>();
    List<List<String>> perThread = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      List<String> mine = new ArrayList<>();
      perThread.add(mine);
      threads.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 5000; i++) {
          mine.add(PushIds.next());
        }
      }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    HashSet<String> all = new HashSet<>();
    perThread.forEach(all::addAll);

    assertThat(all).hasSize(20_000);
    perThread.forEach(mine -> assertThat(mine).isSorted());
  }

  @Test
  void otherStringsAreNotIds() {
    assertThat(PushIds.isValid(null)).isFalse();
    assertThat(PushIds.isValid("")).isFalse();
    assertThat(PushIds.isValid("01ARZ3NDEKTSV4RRFFQ69G5FA")).isFalse();     // 25 characters
    assertThat(PushIds.isValid("01ARZ3NDEKTSV4RRFFQ69G5FAU")).isFalse();    // U is not in the alphabet
    assertThat(PushIds.isValid("81ARZ3NDEKTSV4RRFFQ69G5FAV")).isFalse();    // more than 48 bits of time
    assertThat(PushIds.isValid("01ARZ3NDEKTSV4RRFFQ69G5FAV")).isTrue();
    assertThatThrownBy(() -> PushIds.timestampOf("nope")).hasMessageContaining("nope");
  }
}
