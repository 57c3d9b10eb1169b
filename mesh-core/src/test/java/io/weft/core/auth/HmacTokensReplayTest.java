package io.weft.core.auth;

import static io.weft.core.auth.AuthTesting.T0;
import static io.weft.core.auth.AuthTesting.accepted;
import static io.weft.core.auth.AuthTesting.assertRefused;
import static io.weft.core.auth.AuthTesting.oneKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.weft.core.Code;
import io.weft.core.MeshException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class HmacTokensReplayTest {

  private static final String BUSY = "too many recent logins, retry later";

  private final MutableClock clock = new MutableClock(T0);

  @Test
  void aTokenIsRefusedTheSecondTimeWhileItIsValid() {
    HmacTokens tokens = new HmacTokens(oneKey().setClockSkewMs(1_000), clock);
    String token = tokens.sign("alice", null, Duration.ofMinutes(2));
    accepted(tokens.verify(token));
    assertRefused(tokens.verify(token), "token replayed");
    assertRefused(tokens.verify(token, "another-label", null), "token replayed");
    clock.advance(Duration.ofSeconds(121));
    assertRefused(tokens.verify(token), "token replayed");
    clock.advance(Duration.ofMillis(1));
    assertRefused(tokens.verify(token), "token expired");
  }

  @Test
  void aTokenLivingLongerThanTheWindowIsRememberedForTheWindowOnly() {
    HmacTokens tokens = new HmacTokens(oneKey().setReplayWindowMs(60_000), clock);
    String token = tokens.sign("alice", null, Duration.ofHours(1));
    accepted(tokens.verify(token));
    clock.advance(Duration.ofSeconds(60));
    assertRefused(tokens.verify(token), "token replayed");
    clock.advance(Duration.ofMillis(1));
    accepted(tokens.verify(token));
    assertRefused(tokens.verify(token), "token replayed");
  }

  @Test
  void aWindowOfZeroAcceptsATokenAgain() {
    HmacTokens tokens = new HmacTokens(oneKey().setReplayWindowMs(0), clock);
    String token = tokens.sign("alice", null, Duration.ofMinutes(1));
    accepted(tokens.verify(token));
    accepted(tokens.verify(token));
  }

  @Test
  void aFullCacheRefusesNewTokensAndForgetsNothingEarly() {
    HmacTokens tokens = new HmacTokens(oneKey().setReplayCacheSize(3).setClockSkewMs(0), clock);
    List<String> first = List.of(sign(tokens, 30), sign(tokens, 30), sign(tokens, 300));
    first.forEach(t -> accepted(tokens.verify(t)));
    String fourth = sign(tokens, 300);
    assertRefused(tokens.verify(fourth), Code.RESOURCE_EXHAUSTED, BUSY);
    first.forEach(t -> assertRefused(tokens.verify(t), "token replayed"));

    // Two of the three expire: their room is given back, the third is still remembered.
    clock.advance(Duration.ofSeconds(31));
    accepted(tokens.verify(fourth));
    accepted(tokens.verify(sign(tokens, 300)));
    assertRefused(tokens.verify(sign(tokens, 300)), Code.RESOURCE_EXHAUSTED, BUSY);
    assertRefused(tokens.verify(first.get(2)), "token replayed");
    assertRefused(tokens.verify(fourth), "token replayed");
  }

  @Test
  void aForgedTokenCannotSpendARealTokensNonce() {
    HmacTokens tokens = new HmacTokens(oneKey(), clock);
    String token = tokens.sign("alice", null, Duration.ofMinutes(1));
    String forged = token.substring(0, token.lastIndexOf('.') + 1) + "A".repeat(43);
    assertRefused(tokens.verify(forged), "bad signature");
    accepted(tokens.verify(token));
  }

  @Test
  @Timeout(30)
  void concurrentVerifiersAcceptEachTokenExactlyOnce() throws Exception {
    int threads = 8;
    int rounds = 100;
    HmacTokens tokens = new HmacTokens(oneKey(), clock);
    List<String> shared = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      shared.add(tokens.sign("shared", null, Duration.ofMinutes(5)));
    }
    AtomicInteger sharedAccepted = new AtomicInteger();
    AtomicInteger ownAccepted = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    CyclicBarrier barrier = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        pool.execute(() -> {
          try {
            for (String token : shared) {
              barrier.await(10, TimeUnit.SECONDS);
              // Every thread presents the same token at the same moment, then one of its own.
              count(tokens.verify(token), sharedAccepted, unexpected);
              count(tokens.verify(tokens.sign("user-" + thread, null, Duration.ofMinutes(5))), ownAccepted, unexpected);
            }
          } catch (Exception e) {
            unexpected.add(e);
          }
        });
      }
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(25, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(unexpected).isEmpty();
    assertThat(sharedAccepted).as("each shared token accepted once").hasValue(rounds);
    assertThat(ownAccepted).hasValue(threads * rounds);
  }

  private static void count(Future<Principal> result, AtomicInteger accepted, ConcurrentLinkedQueue<Throwable> unexpected) {
    if (result.succeeded()) {
      accepted.incrementAndGet();
    } else if (!(result.cause() instanceof MeshException e && e.getMessage().equals("token replayed"))) {
      unexpected.add(result.cause());
    }
  }

  private static String sign(HmacTokens tokens, int ttlSeconds) {
    return tokens.sign("alice", null, Duration.ofSeconds(ttlSeconds));
  }
}
