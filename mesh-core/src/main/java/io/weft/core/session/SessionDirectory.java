package io.weft.core.session;

import io.vertx.core.Future;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * Where each logged-in client id is connected (PROTOCOL.md section 9): the gate binds a client id
 * on login, unbinds it on logoff and disconnect, and refreshes the bindings of its live
 * connections; the push service looks client ids up to find their gates.
 * <p>
 * Every binding carries a TTL ({@link SessionOptions#getTtlSeconds()}) so that the bindings of a
 * gate that crashed go away by themselves; a gate keeps its live ones by refreshing them well
 * within the TTL (a third of it is a good period).
 * <p>
 * Implementations: {@link LocalSessionDirectory} (in-JVM, the embedded default) and
 * {@link RedisSessionDirectory}. Every method may be called from any context; none blocks, and
 * bad arguments fail the future rather than throw. An entry that is not a well-formed binding
 * (a missing field, a login time that is not a number, a key of another type) counts as absent.
 * <p>
 * A call that failed for want of an answer (a timeout, a lost connection) may still have taken
 * effect: a gate whose bind failed so should still unbind that connection when it closes, which
 * is harmless if the bind never happened.
 */
public interface SessionDirectory {

  /**
   * Binds {@code session.clientId()} to {@code session}'s connection, replacing (atomically) any
   * binding it had: a login elsewhere wins. The future holds the binding replaced when it was on
   * another connection, which the caller should kick, or null.
   */
  Future<Session> bind(Session session);

  /**
   * Removes the binding of {@code clientId} if it still points at {@code conn}: a connection that
   * lost its client id to a newer login never removes the newer binding. The future tells whether
   * a binding was removed.
   */
  Future<Boolean> unbind(String clientId, String conn);

  /** The binding of {@code clientId}, or null. */
  default Future<Session> lookup(String clientId) {
    if (isEmpty(clientId)) {
      return Future.failedFuture(new IllegalArgumentException("clientId must not be empty"));
    }
    return lookupAll(java.util.List.of(clientId)).map(found -> found.get(clientId));
  }

  /**
   * The bindings of {@code clientIds}, by client id; ids that are not bound are left out. Made for
   * fan-out: the ids go to the store in few round trips, not one each.
   */
  Future<Map<String, Session>> lookupAll(Collection<String> clientIds);

  /**
   * Restarts the TTL of {@code clientId}'s binding if it still points at {@code conn}. False means
   * the binding is gone or belongs to another connection: lost to a newer login, or lost with the
   * store's data; the gate then binds again or drops the client id, as it sees fit.
   */
  default Future<Boolean> refresh(String clientId, String conn) {
    if (isEmpty(clientId) || isEmpty(conn)) {
      return Future.failedFuture(new IllegalArgumentException("clientId and conn must not be empty"));
    }
    return refreshAll(Map.of(clientId, conn)).map(Set::isEmpty);
  }

  /**
   * {@link #refresh} for many bindings at once, client id to connection: the gate's periodic
   * refresh. The future holds the client ids that could not be refreshed.
   */
  Future<Set<String>> refreshAll(Map<String, String> connsByClientId);

  /**
   * Lets go of this directory's resources (the shared connection, with its last user). Bindings
   * stay: they belong to connections, not to the directory object.
   */
  Future<Void> close();

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }
}
