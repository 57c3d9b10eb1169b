package io.weft.core.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TagsTest {

  private static TestEndpoint tagged(String id, Map<String, String> tags) {
    TestEndpoint e = new TestEndpoint(id);
    e.tags = tags;
    return e;
  }

  private final TestEndpoint plain = tagged("plain", Map.of());
  private final TestEndpoint canary = tagged("canary", Map.of("track", "canary", "zone", "a"));
  private final TestEndpoint stableA = tagged("stable-a", Map.of("track", "stable", "zone", "a"));
  private final TestEndpoint stableB = tagged("stable-b", Map.of("track", "stable", "zone", "b", "vip", "yes"));
  private final List<TestEndpoint> all = List.of(plain, canary, stableA, stableB);

  @Test
  void noRequiredTagsGivesTheSameListWithoutCopying() {
    List<TestEndpoint> reuse = new ArrayList<>(List.of(plain));
    assertThat(Tags.matching(all, Map.of(), reuse)).isSameAs(all);
    assertThat(Tags.matching(all, null, reuse)).isSameAs(all);
    assertThat(reuse).containsExactly(plain); // untouched
  }

  @Test
  void requiredTagsMustBeASubsetOfTheInstanceTags() {
    List<TestEndpoint> reuse = new ArrayList<>();
    assertThat(Tags.matching(all, Map.of("track", "stable"), reuse)).isSameAs(reuse).containsExactly(stableA, stableB);
    assertThat(Tags.matching(all, Map.of("zone", "a"), reuse)).containsExactly(canary, stableA);
    assertThat(Tags.matching(all, Map.of("track", "stable", "zone", "b"), reuse)).containsExactly(stableB);
    Map<String, String> threeTags = new LinkedHashMap<>();
    threeTags.put("vip", "yes");
    threeTags.put("zone", "b");
    threeTags.put("track", "stable");
    assertThat(Tags.matching(all, threeTags, reuse)).containsExactly(stableB);
  }

  @Test
  void valuesMustBeEqualAndMissingKeysNeverMatch() {
    List<TestEndpoint> reuse = new ArrayList<>();
    assertThat(Tags.matching(all, Map.of("track", "beta"), reuse)).isEmpty();
    assertThat(Tags.matching(all, Map.of("region", "eu"), reuse)).isEmpty();
    assertThat(Tags.matching(all, Map.of("track", "stable", "zone", "c"), reuse)).isEmpty();
  }

  @Test
  void theReusedListIsOverwrittenAndTheInputLeftAlone() {
    List<TestEndpoint> input = new ArrayList<>(all);
    List<TestEndpoint> reuse = new ArrayList<>(List.of(plain, plain, plain, plain, plain));
    assertThat(Tags.matching(input, Map.of("zone", "a"), reuse)).containsExactly(canary, stableA);
    assertThat(Tags.matching(input, Map.of("track", "canary", "zone", "a"), reuse)).containsExactly(canary);
    assertThat(input).containsExactlyElementsOf(all);
  }

  @Test
  void matchesTellsOneInstance() {
    assertThat(Tags.matches(stableB.tags(), Map.of())).isTrue();
    assertThat(Tags.matches(stableB.tags(), Map.of("vip", "yes", "zone", "b"))).isTrue();
    assertThat(Tags.matches(stableB.tags(), Map.of("vip", "no"))).isFalse();
    assertThat(Tags.matches(Map.of(), Map.of("vip", "yes"))).isFalse();
  }
}
