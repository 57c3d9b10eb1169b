package io.weft.core.lb.impl;

import io.weft.core.lb.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Per-endpoint state of a stateful balancer, kept by {@link Endpoint#id()} and lined up with the
 * positions of the current call's candidate list.
 * <p>
 * The candidates may differ on every call (instances come and go; calls with route tags see a
 * filtered list that the caller refills in place), so state belongs to ids, not to positions or
 * to a list object:
 * <ul>
 * <li>Same list as last call (same size, same elements by identity): one comparison per
 *     candidate, nothing allocated.</li>
 * <li>Changed list: one map lookup per candidate; a state is created only for an id not tracked
 *     yet, and arrays grow only when the list outgrows them.</li>
 * <li>Every {@link #PRUNE_INTERVAL} calls, the state of ids absent from every list for more than
 *     {@link #RETENTION_CALLS} calls is forgotten. An instance that left is thus dropped soon,
 *     while one only filtered out by some calls' tags keeps its state.</li>
 * </ul>
 * No reference to an endpoint object is kept beyond the current list.
 */
final class EndpointStates<S extends EndpointStates.State> {

  /** Calls between two sweeps for forgotten ids. */
  static final int PRUNE_INTERVAL = 1024;
  /** Calls an id may be absent from the candidates before its state is forgotten. */
  static final long RETENTION_CALLS = 4 * PRUNE_INTERVAL;

  /** The state of one endpoint id. */
  abstract static class State {
    final String id;
    /** The id's position in the current candidate list, -1 when absent. */
    int index = -1;
    long lastSeen;

    State(String id) {
      this.id = id;
    }
  }

  private static final Object[] NO_OBJECTS = {};
  private static final State[] NO_STATES = {};

  private final Function<String, S> create;
  private final Consumer<? super S> forgotten;
  private final HashMap<String, S> byId = new HashMap<>();
  private final ArrayList<S> tracked = new ArrayList<>();
  private Object[] seen = NO_OBJECTS;
  private State[] aligned = NO_STATES;
  private int size = -1;
  private long calls;

  /**
   * @param create makes the state of an id seen for the first time (or again after being forgotten)
   * @param forgotten told of each state dropped
   */
  EndpointStates(Function<String, S> create, Consumer<? super S> forgotten) {
    this.create = create;
    this.forgotten = forgotten;
  }

  /**
   * Lines state up with {@code candidates}: afterwards {@link #at at(i)} is the state of
   * {@code candidates.get(i)}.
   *
   * @return true when the caller should re-read per-endpoint inputs it caches (such as weights):
   *     the list changed, or the periodic sweep ran
   */
  boolean sync(List<? extends Endpoint> candidates) {
    long now = ++calls;
    int n = candidates.size();
    boolean changed = n != size;
    if (!changed) {
      Object[] s = seen;
      for (int i = 0; i < n; i++) {
        if (candidates.get(i) != s[i]) {
          changed = true;
          break;
        }
      }
    }
    if (changed) {
      realign(candidates, n, now);
    }
    if (now % PRUNE_INTERVAL == 0) {
      prune(now);
      return true;
    }
    return changed;
  }

  /** The state of the {@code i}th candidate of the last {@link #sync}. */
  @SuppressWarnings("unchecked")
  S at(int i) {
    return (S) aligned[i];
  }

  /** Ids whose state is kept, present or not. */
  int trackedCount() {
    return tracked.size();
  }

  private void realign(List<? extends Endpoint> candidates, int n, long now) {
    for (int i = 0; i < size; i++) {
      aligned[i].index = -1;
    }
    if (n > seen.length) {
      int capacity = Math.max(n, seen.length * 2);
      seen = new Object[capacity];
      aligned = new State[capacity];
    }
    for (int i = 0; i < n; i++) {
      Endpoint e = candidates.get(i);
      String id = e.id();
      S state = byId.get(id);
      if (state == null) {
        state = create.apply(id);
        byId.put(id, state);
        tracked.add(state);
      }
      if (state.index < 0) {
        state.index = i;
      }
      state.lastSeen = now;
      seen[i] = e;
      aligned[i] = state;
    }
    // Let go of endpoints that are no longer listed, so departed instances can be collected.
    for (int i = n, old = Math.max(size, 0); i < old; i++) {
      seen[i] = null;
      aligned[i] = null;
    }
    size = n;
  }

  private void prune(long now) {
    for (int i = 0; i < size; i++) {
      aligned[i].lastSeen = now;
    }
    for (int i = tracked.size() - 1; i >= 0; i--) {
      S state = tracked.get(i);
      if (now - state.lastSeen > RETENTION_CALLS) {
        int last = tracked.size() - 1;
        tracked.set(i, tracked.get(last));
        tracked.remove(last);
        byId.remove(state.id);
        forgotten.accept(state);
      }
    }
  }
}
