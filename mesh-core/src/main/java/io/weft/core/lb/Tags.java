package io.weft.core.lb;

import java.util.List;
import java.util.Map;

/**
 * Route tags: a call carrying {@code Tags} goes only to instances whose registered tags include
 * every one of them, with equal values (canary, A/B, VIP pools).
 */
public final class Tags {

  private Tags() {
  }

  /**
   * The candidates whose tags include all of {@code required}.
   * <p>
   * With no required tags (null or empty) this is {@code candidates} itself: nothing is copied or
   * allocated. Otherwise {@code reuse} is cleared, filled with the matching candidates in their
   * order, and returned; the caller keeps one such list per balancer and event loop, so the hot
   * path allocates nothing once it has grown. The result may be empty.
   *
   * @param candidates the instances to filter, left unchanged
   * @param required the call's route tags
   * @param reuse a list owned by the caller, overwritten; not {@code candidates}
   */
  public static <E extends Endpoint> List<E> matching(List<E> candidates, Map<String, String> required, List<E> reuse) {
    if (required == null || required.isEmpty()) {
      return candidates;
    }
    reuse.clear();
    boolean first = true;
    // One pass per required tag (one iterator per call, not per candidate): the first pass copies
    // the matches, later ones compact the list in place.
    for (Map.Entry<String, String> tag : required.entrySet()) {
      String key = tag.getKey();
      String value = tag.getValue();
      if (first) {
        for (int i = 0, n = candidates.size(); i < n; i++) {
          E e = candidates.get(i);
          if (has(e.tags(), key, value)) {
            reuse.add(e);
          }
        }
        first = false;
      } else {
        int kept = 0;
        for (int i = 0, n = reuse.size(); i < n; i++) {
          E e = reuse.get(i);
          if (has(e.tags(), key, value)) {
            reuse.set(kept++, e);
          }
        }
        for (int last = reuse.size() - 1; last >= kept; last--) {
          reuse.remove(last);
        }
      }
      if (reuse.isEmpty()) {
        break;
      }
    }
    return reuse;
  }

  /** Whether {@code tags} include every entry of {@code required} (always, when none are required). */
  public static boolean matches(Map<String, String> tags, Map<String, String> required) {
    if (required == null || required.isEmpty()) {
      return true;
    }
    for (Map.Entry<String, String> tag : required.entrySet()) {
      if (!has(tags, tag.getKey(), tag.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static boolean has(Map<String, String> tags, String key, String value) {
    String actual = tags.get(key);
    return actual != null && actual.equals(value);
  }
}
