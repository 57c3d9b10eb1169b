package io.weft.examples.friends;

import io.vertx.core.shareddata.Shareable;
import io.weft.core.Code;
import io.weft.core.MeshException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is whose friend, and who asked whom, in one {@code demo/friends} instance's memory: bounded
 * (users, friends and requests per user), shared by the instance's verticles, hence synchronized.
 */
final class FriendGraph implements Shareable {

  static final int MAX_USERS = 10_000;
  static final int MAX_FRIENDS = 200;

  /** Friends by user, both ways. */
  private final Map<String, Set<String>> friends = new HashMap<>();
  /** Requests received by user: who asked. */
  private final Map<String, Set<String>> requests = new HashMap<>();

  /** What {@link #add} did. */
  enum Added { REQUESTED, FRIENDS }

  /**
   * {@code user} asks {@code other}: a request, or friendship when {@code other} had asked
   * {@code user} (or they were friends already).
   */
  synchronized Added add(String user, String other) {
    if (user.equals(other)) {
      throw MeshException.quiet(Code.INVALID_ARGUMENT, "one cannot befriend oneself");
    }
    if (of(friends, user).contains(other)) {
      return Added.FRIENDS;
    }
    Set<String> asked = requests.get(user);
    if (asked != null && asked.remove(other)) {
      if (asked.isEmpty()) {
        requests.remove(user);
      }
      bounded(friends, user).add(other);
      bounded(friends, other).add(user);
      return Added.FRIENDS;
    }
    bounded(requests, other).add(user);
    return Added.REQUESTED;
  }

  synchronized List<String> friends(String user) {
    return List.copyOf(of(friends, user));
  }

  synchronized List<String> requests(String user) {
    return List.copyOf(of(requests, user));
  }

  private static Set<String> of(Map<String, Set<String>> map, String user) {
    return map.getOrDefault(user, Set.of());
  }

  /** The set of {@code user} in {@code map}, made if needed, with room for one more. */
  private static Set<String> bounded(Map<String, Set<String>> map, String user) {
    Set<String> set = map.get(user);
    if (set == null) {
      if (map.size() >= MAX_USERS) {
        throw MeshException.quiet(Code.RESOURCE_EXHAUSTED, "too many users: " + MAX_USERS);
      }
      set = new TreeSet<>();
      map.put(user, set);
    }
    if (set.size() >= MAX_FRIENDS) {
      throw MeshException.quiet(Code.RESOURCE_EXHAUSTED, user + " has " + MAX_FRIENDS + " friends or requests already");
    }
    return set;
  }
}
