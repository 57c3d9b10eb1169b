package io.weft.push;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * Where safe pushes wait for their client's acknowledgement (PROTOCOL.md sections 8 and 9).
 * <p>
 * The push service {@link #store stores} a push as {@link PushStatus#UNARRIVE} before it sends it,
 * so that a push the client never saw survives a gate, a push service or the client going away;
 * the client's {@code push.Reply} {@link #markArrived marks it arrived}; its {@code push.Restore}
 * after a login sends again what is still {@link #unarrived unarrived}, oldest first. Whatever its
 * status, a push is dropped when it expires.
 * <p>
 * Every method may be called from any thread or context and never blocks it; the futures complete
 * on the caller's context. Obtain one with {@link #open}, close it when done; a store opened by a
 * verticle is also closed when that verticle is undeployed.
 */
public interface SafePushStore {

  /**
   * Opens the store {@code options} describe: a MongoDB, or the embedded MongoDB-wire server (started,
   * or shared with the other stores of this JVM on the same {@code dataDir}). The future completes
   * once the indexes exist, and fails if the database cannot be reached or the options are bad.
   */
  static Future<SafePushStore> open(Vertx vertx, SafePushOptions options) {
    return MongoSafePushStore.open(vertx, options).map(store -> store);
  }

  /**
   * A new unsent push for {@code clientId}: a fresh {@link PushIds#next() id}, created now, expiring
   * after this store's TTL. Nothing is written until {@link #store}.
   */
  SafePush newPush(String clientId, Buffer innerRpc);

  /** Writes {@code push}; fails if its id is already stored. */
  Future<Void> store(SafePush push);

  /**
   * Writes many pushes in one round trip ({@code PushMany}); the ones before a failing one (such as
   * a duplicate id) are written, the failing one and those after it are not.
   */
  Future<Void> storeAll(List<SafePush> pushes);

  /**
   * Marks {@code pushId} arrived, if it is {@code clientId}'s and still unarrived: {@code true} if
   * this call changed it, {@code false} if it was already arrived, is unknown, expired, or is
   * another client's (a client cannot acknowledge pushes meant for others).
   */
  Future<Boolean> markArrived(String clientId, String pushId);

  /** The first {@code limit} unarrived, unexpired pushes of {@code clientId}, oldest first. */
  default Future<List<SafePush>> unarrived(String clientId, int limit) {
    return unarrivedAfter(clientId, null, limit);
  }

  /**
   * The next {@code limit} unarrived, unexpired pushes of {@code clientId} after {@code after}
   * (the last one of the previous page; {@code null} for the first page), in creation order
   * ({@code createdAt}, then id). An empty list means there are no more. Documents that cannot be
   * read as a push are skipped and logged, never returned, and do not end the listing early.
   */
  Future<List<SafePush>> unarrivedAfter(String clientId, SafePush after, int limit);

  /**
   * Counts one more send of each of {@code pushIds} (each id once) that is {@code clientId}'s and
   * still unarrived: call it after sending them, on the first send and on each {@code Restore}. The
   * future holds how many were counted.
   */
  Future<Long> countAttempts(String clientId, List<String> pushIds);

  /** The push with this id, whatever its status, or {@code null}. Expired ones not yet swept are returned. */
  Future<SafePush> get(String pushId);

  /** How many pushes have this status, all clients together (for metrics and tests; a full count). */
  Future<Long> count(PushStatus status);

  /** How many of {@code clientId}'s pushes have this status. */
  Future<Long> count(String clientId, PushStatus status);

  /**
   * Deletes every push whose {@code expireAt} has passed, returning how many. The store runs this
   * itself every {@link SafePushOptions#getSweepIntervalMs()}; it is public for tests and tools.
   */
  Future<Long> removeExpired();

  /** Stops the sweep and closes the connection (and the embedded server, when this was its last user). */
  Future<Void> close();
}
