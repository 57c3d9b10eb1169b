package io.weft.push;

import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One safe push as the store keeps it (PROTOCOL.md section 9): the {@code InnerRpc} bytes meant for
 * {@code clientId}, kept as {@link PushStatus#UNARRIVE} until the client acknowledges
 * {@code pushId}, and until {@code expireAt} at most.
 * <p>
 * Instants are cut to milliseconds here, because that is all a BSON date holds: a push read back
 * from the store then equals the one stored.
 *
 * @param pushId    unique and sortable by creation time ({@link PushIds#next()})
 * @param clientId  the client it is for; only that client may acknowledge it
 * @param innerRpc  the encoded inner RPC, passed to the client as it is
 * @param status    where it stands
 * @param createdAt when it was stored; {@link SafePushStore#unarrived} lists in this order
 * @param expireAt  when the store drops it, whatever its status
 * @param arrivedAt when the client acknowledged it; {@code null} while {@link PushStatus#UNARRIVE}
 * @param attempts  how many times it was sent to the client
 */
public record SafePush(String pushId, String clientId, Buffer innerRpc, PushStatus status,
                       Instant createdAt, Instant expireAt, Instant arrivedAt, int attempts) {

  public SafePush {
    requireText(pushId, "pushId");
    requireText(clientId, "clientId");
    Objects.requireNonNull(innerRpc, "innerRpc");
    Objects.requireNonNull(status, "status");
    createdAt = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MILLIS);
    expireAt = Objects.requireNonNull(expireAt, "expireAt").truncatedTo(ChronoUnit.MILLIS);
    arrivedAt = arrivedAt == null ? null : arrivedAt.truncatedTo(ChronoUnit.MILLIS);
    if (expireAt.isBefore(createdAt)) {
      throw new IllegalArgumentException("expireAt must not be before createdAt " + createdAt + ", but was " + expireAt);
    }
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must be >= 0, but was " + attempts);
    }
  }

  /**
   * A new push, not yet sent: {@link PushStatus#UNARRIVE}, no attempts, expiring {@code ttl} after
   * {@code createdAt}. {@link SafePushStore#newPush} fills in the id, the time and the store's TTL.
   */
  public static SafePush unarrive(String pushId, String clientId, Buffer innerRpc, Instant createdAt, Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be > 0, but was " + ttl);
    }
    return new SafePush(pushId, clientId, innerRpc, PushStatus.UNARRIVE, createdAt, createdAt.plus(ttl), null, 0);
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank, but was " + (value == null ? "null" : "'" + value + "'"));
    }
  }
}
