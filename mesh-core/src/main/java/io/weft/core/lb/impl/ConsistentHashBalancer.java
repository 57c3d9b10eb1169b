package io.weft.core.lb.impl;

import io.weft.core.lb.Endpoint;
import io.weft.core.lb.LoadBalancer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * Consistent hashing on the call's {@code HashKey}: each instance owns {@link #POINTS_PER_WEIGHT}
 * points per unit of weight (up to {@link #MAX_RING_WEIGHT}) on a 64-bit ring, and a key goes to
 * the owner of the first point at or after the key's hash that belongs to a current candidate.
 * <ul>
 * <li>While the candidates stay the same, a key always reaches the same instance.</li>
 * <li>When one instance of N leaves, only its keys (about 1/N) move, each to the instance next on
 *     the ring; when one joins, it takes about 1/(N+1) of the keys, and those only.</li>
 * <li>The mapping depends on the set of candidate ids alone, not on their order or on history:
 *     every gate, and every event loop, sends a key to the same instance.</li>
 * </ul>
 * Calls without a key go round robin.
 * <p>
 * Ring points are the MD5 digests of {@code "<id>#<i>"} (two 64-bit points per digest, as ketama),
 * computed once per instance when it first appears. The ring holds the points of every tracked id
 * ({@link EndpointStates}): an id filtered out of some calls by route tags stays on the ring, and
 * its points are skipped while it is not a candidate, so a filtered list costs a longer walk, not a
 * rebuild. The ring is rebuilt (kept points merged with new ones, one sort) only when an id is first
 * seen, is forgotten, or changes weight. Keys are hashed with FNV-1a over the key's chars and the
 * MurmurHash3 finalizer: no allocation, and only this gate code ever hashes keys.
 * <p>
 * A ring entry packs the point's high {@code 64 - SLOT_BITS} bits with the owner's slot in the
 * low bits, so the ring is one sorted {@code long[]} (8 bytes a point). Two points of different
 * instances colliding in those 44 bits (odds about 7 in a million for a ring of 16,000 points,
 * 7 in 10^8 for 1,600) make the lower slot win that point: harmless.
 */
public final class ConsistentHashBalancer implements LoadBalancer {

  /** Ring points per unit of weight. */
  public static final int POINTS_PER_WEIGHT = 160;
  /** Weights above this count as this much on the ring, to bound its size. */
  public static final int MAX_RING_WEIGHT = 32;

  private static final int SLOT_BITS = 20;
  private static final long SLOT_MASK = (1L << SLOT_BITS) - 1;
  private static final int MAX_SLOTS = 1 << SLOT_BITS;

  private static final class Node extends EndpointStates.State {
    final int slot;
    /** Ring points its weight calls for. */
    int wanted;
    /** Ring points it has on the ring now. */
    int placed;

    Node(String id, int slot) {
      super(id);
      this.slot = slot;
    }
  }

  private final EndpointStates<Node> states = new EndpointStates<>(this::track, this::forget);
  private Node[] bySlot = new Node[16];
  private int[] freeSlots = new int[16];
  private int freeCount;
  private int nextSlot;
  private long[] ring = new long[0];
  private boolean ringStale;
  private MessageDigest md5;
  private int position;

  @Override
  public <E extends Endpoint> E select(List<E> candidates, String hashKey) {
    int n = candidates.size();
    if (n == 1) {
      return candidates.get(0);
    }
    if (hashKey == null) {
      // floorMod: the counter wraps to negative after 2^31 calls.
      return candidates.get(Math.floorMod(position++, n));
    }
    if (states.sync(candidates)) {
      for (int i = 0; i < n; i++) {
        Node node = states.at(i);
        int wanted = POINTS_PER_WEIGHT * Math.min(Math.max(1, candidates.get(i).weight()), MAX_RING_WEIGHT);
        if (node.wanted != wanted) {
          node.wanted = wanted;
          ringStale = true;
        }
      }
    }
    if (ringStale) {
      rebuild();
    }
    return candidates.get(lookup(hash64(hashKey)));
  }

  /** Ids on the ring, candidates or not (for tests). */
  int trackedCount() {
    return states.trackedCount();
  }

  /** Points on the ring (for tests). */
  int ringSize() {
    return ring.length;
  }

  /** The candidate index owning {@code hash}: the first current candidate's point clockwise. */
  private int lookup(long hash) {
    long[] r = ring;
    int len = r.length;
    long key = hash & ~SLOT_MASK;
    int lo = 0;
    int hi = len;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (r[mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    for (int k = 0, i = lo; k < len; k++, i++) {
      if (i == len) {
        i = 0;
      }
      Node owner = bySlot[(int) (r[i] & SLOT_MASK)];
      if (owner != null && owner.index >= 0) {
        return owner.index;
      }
    }
    return 0; // unreachable: every candidate has points on the ring
  }

  private Node track(String id) {
    int slot;
    if (freeCount > 0) {
      slot = freeSlots[--freeCount];
    } else if (nextSlot < MAX_SLOTS) {
      slot = nextSlot++;
    } else {
      throw new IllegalStateException("consistent hash tracks at most " + MAX_SLOTS + " instances");
    }
    if (slot >= bySlot.length) {
      bySlot = Arrays.copyOf(bySlot, bySlot.length * 2);
    }
    Node node = new Node(id, slot);
    bySlot[slot] = node;
    return node;
  }

  private void forget(Node node) {
    bySlot[node.slot] = null;
    if (freeCount == freeSlots.length) {
      freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
    }
    freeSlots[freeCount++] = node.slot;
    ringStale = true;
  }

  /**
   * Keeps the points of nodes whose point count is unchanged (points of forgotten nodes, or of a
   * slot now reused by a new node, find a node with nothing placed and are dropped), adds the
   * points of new or re-weighted nodes, and sorts.
   */
  private void rebuild() {
    int kept = 0;
    for (long point : ring) {
      if (keeps(point)) {
        kept++;
      }
    }
    int added = 0;
    for (int s = 0; s < nextSlot; s++) {
      Node node = bySlot[s];
      if (node != null && node.placed != node.wanted) {
        added += node.wanted;
      }
    }
    long[] next = new long[kept + added];
    int at = 0;
    for (long point : ring) {
      if (keeps(point)) {
        next[at++] = point;
      }
    }
    for (int s = 0; s < nextSlot; s++) {
      Node node = bySlot[s];
      if (node != null && node.placed != node.wanted) {
        at = placePoints(node, next, at);
        node.placed = node.wanted;
      }
    }
    Arrays.sort(next);
    ring = next;
    ringStale = false;
  }

  private boolean keeps(long point) {
    Node owner = bySlot[(int) (point & SLOT_MASK)];
    return owner != null && owner.placed == owner.wanted;
  }

  private int placePoints(Node node, long[] into, int at) {
    MessageDigest digest = md5();
    for (int i = 0; i < node.wanted / 2; i++) {
      byte[] d = digest.digest((node.id + '#' + i).getBytes(StandardCharsets.UTF_8));
      into[at++] = (bigEndianLong(d, 0) & ~SLOT_MASK) | node.slot;
      into[at++] = (bigEndianLong(d, 8) & ~SLOT_MASK) | node.slot;
    }
    return at;
  }

  private MessageDigest md5() {
    if (md5 == null) {
      try {
        md5 = MessageDigest.getInstance("MD5");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform has MD5", e);
      }
    }
    return md5;
  }

  private static long bigEndianLong(byte[] b, int from) {
    long v = 0;
    for (int i = from; i < from + 8; i++) {
      v = (v << 8) | (b[i] & 0xFF);
    }
    return v;
  }

  /** A 64-bit hash of {@code key}'s chars: FNV-1a, then the MurmurHash3 finalizer to spread it. */
  static long hash64(String key) {
    long h = 0xCBF29CE484222325L;
    for (int i = 0, n = key.length(); i < n; i++) {
      h ^= key.charAt(i);
      h *= 0x100000001B3L;
    }
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return h;
  }
}
