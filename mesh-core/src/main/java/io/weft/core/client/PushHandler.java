package io.weft.core.client;

import io.vertx.core.Future;

/**
 * Handles the pushes of one method sent to a logged-in client id. For a safe push (non-empty
 * push id) the client acknowledges it once the returned future succeeds; a push that fails (or
 * whose handler throws) is not acknowledged, and comes back at the next login. Safe pushes arrive
 * at least once: de-duplicate by push id.
 */
@FunctionalInterface
public interface PushHandler<T> {

  Future<?> handle(String clientId, String pushId, T args);
}
