package io.weft.core.auth;

import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;

/**
 * Checks the token a client presents in {@code MSG_C2G_AUTH}: the plug-in point for
 * authentication schemes. {@link HmacTokens} is the one built in; a JWT verifier or a call to an
 * auth service implements this interface the same way, and the gate needs to know nothing more.
 * <p>
 * The answer is a future so that a verifier may do I/O; a local one answers with a completed
 * future. Implementations are called from several event loops at once, must not block them, and
 * never throw: every failure fails the future with a {@link io.weft.core.MeshException}, usually
 * {@link io.weft.core.Code#UNAUTHENTICATED} (16), whose message is a short reason the gate may
 * send to the client and log, so it must not reveal secrets or which part of a MAC was wrong:
 * {@code "missing token"}, {@code "malformed token"}, {@code "token too long"},
 * {@code "unsupported token version"}, {@code "unknown key"}, {@code "bad signature"},
 * {@code "token expired"}, {@code "token not yet valid"}, {@code "token replayed"},
 * {@code "bad client label"}. A verifier that cannot decide for want of capacity (a full replay
 * cache, an auth service down) fails with another code
 * ({@link io.weft.core.Code#RESOURCE_EXHAUSTED}, {@link io.weft.core.Code#UNAVAILABLE}), which
 * tells the client to retry later rather than to fetch a new token. Any other failure is the
 * gate's to treat as 16.
 */
@FunctionalInterface
public interface TokenVerifier {

  /**
   * Verifies {@code token}.
   *
   * @param token       as sent; may be {@code null} or anything at all
   * @param clientLabel the {@code Client} label sent with it, or {@code null}
   * @param remote      the client's address, for schemes that check it or log it; may be {@code null}
   * @return the principal, or a failed future as described above
   */
  Future<Principal> verify(String token, String clientLabel, SocketAddress remote);

  /** Verifies a token sent without a label, from an address that does not matter. */
  default Future<Principal> verify(String token) {
    return verify(token, null, null);
  }
}
