package io.weft.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every {@link SessionDirectory} does, whatever holds it: the local directory's unit test and
 * the Redis directory's integration test both run these.
 */
@ExtendWith(VertxExtension.class)
abstract class SessionDirectoryContract {

  protected SessionDirectory directory;
  /** Client ids unique to the test, so tests sharing one Redis never see each other's bindings. */
  private final String prefix = "t-" + UUID.randomUUID().toString().substring(0, 8) + "-";

  protected abstract SessionDirectory open(Vertx vertx);

  @BeforeEach
  void openDirectory(Vertx vertx) {
    directory = open(vertx);
  }

  @AfterEach
  void closeDirectory() throws Exception {
    done(directory.close());
  }

  protected String id(String name) {
    return prefix + name;
  }

  protected static <T> T done(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  @Test
  void aLoginElsewhereReplacesTheBindingAndHandsBackTheOneToKick() throws Exception {
    Session first = new Session(id("alice"), "10.0.0.1:7001", "boot1-1", 1_000);
    Session second = new Session(id("alice"), "10.0.0.2:7001", "boot2-7", 2_000);
    assertThat(done(directory.bind(first))).isNull();
    assertThat(done(directory.bind(second))).isEqualTo(first);
    assertThat(done(directory.lookup(id("alice")))).isEqualTo(second);
  }

  @Test
  void bindingAgainFromTheSameConnectionKicksNobody() throws Exception {
    Session first = new Session(id("bob"), "10.0.0.1:7001", "boot1-1", 1_000);
    Session again = new Session(id("bob"), "10.0.0.1:7001", "boot1-1", 5_000);
    done(directory.bind(first));
    assertThat(done(directory.bind(again))).isNull();
    assertThat(done(directory.lookup(id("bob")))).isEqualTo(again);
  }

  @Test
  void unbindRemovesOnlyABindingThatStillPointsAtTheConnection() throws Exception {
    Session old = new Session(id("carol"), "10.0.0.1:7001", "boot1-1", 1_000);
    Session current = new Session(id("carol"), "10.0.0.2:7001", "boot2-1", 2_000);
    done(directory.bind(old));
    done(directory.bind(current));

    assertThat(done(directory.unbind(id("carol"), old.conn()))).isFalse(); // the kicked connection closing late
    assertThat(done(directory.lookup(id("carol")))).isEqualTo(current);
    assertThat(done(directory.unbind(id("carol"), current.conn()))).isTrue();
    assertThat(done(directory.lookup(id("carol")))).isNull();
    assertThat(done(directory.unbind(id("carol"), current.conn()))).isFalse();
  }

  @Test
  void refreshTellsWhichBindingsAreStillTheConnections() throws Exception {
    done(directory.bind(new Session(id("a"), "g:1", "c-a", 1)));
    done(directory.bind(new Session(id("b"), "g:1", "c-b", 1)));
    done(directory.bind(new Session(id("b"), "g:2", "c-b2", 2))); // b logged in elsewhere

    assertThat(done(directory.refresh(id("a"), "c-a"))).isTrue();
    assertThat(done(directory.refresh(id("b"), "c-b"))).isFalse();
    assertThat(done(directory.refreshAll(Map.of(id("a"), "c-a", id("b"), "c-b", id("gone"), "c-x"))))
        .containsExactlyInAnyOrder(id("b"), id("gone"));
    assertThat(done(directory.refreshAll(Map.of()))).isEmpty();
  }

  @Test
  void lookupAllFindsTheBoundIdsAmongAThousand() throws Exception {
    List<String> ids = new ArrayList<>();
    List<Future<Session>> binds = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      ids.add(id("u" + i));
      if (i % 2 == 0) {
        binds.add(directory.bind(new Session(id("u" + i), "g:1", "c" + i, i)));
      }
    }
    done(Future.all(binds));

    Map<String, Session> found = done(directory.lookupAll(ids));
    assertThat(found).hasSize(500);
    assertThat(found.get(id("u42"))).isEqualTo(new Session(id("u42"), "g:1", "c42", 42));
    assertThat(found).doesNotContainKey(id("u43"));
    assertThat(done(directory.lookupAll(List.of()))).isEmpty();
  }

  /**
   * Logins racing for one client id: each replaces exactly one binding, so the chain of kicks is
   * complete (every loser is handed to exactly one winner to kick) and one binding is left.
   */
  @Test
  void racingLoginsLeaveOneWinnerAndEveryLoserIsKickedOnce() throws Exception {
    String client = id("racer");
    Session start = new Session(client, "g:0", "conn-start", 0);
    done(directory.bind(start));
    List<Session> logins = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      logins.add(new Session(client, "g:" + (i % 3), "conn-" + i, i));
    }

    List<Session> kicked = race(logins);

    assertThat(kicked).hasSize(100).doesNotContainNull();
    Session winner = done(directory.lookup(client));
    assertThat(logins).contains(winner);
    Set<Session> expected = new HashSet<>(logins);
    expected.add(start);
    expected.remove(winner);
    assertThat(kicked).containsExactlyInAnyOrderElementsOf(expected);
  }

  /** Sends every bind at once; the answers, in any order. */
  protected List<Session> race(List<Session> logins) throws Exception {
    List<Future<Session>> binds = logins.stream().map(directory::bind).toList();
    done(Future.all(binds));
    return binds.stream().map(Future::result).toList();
  }

  @Test
  void badArgumentsFailTheFutureAndNeverThrow() {
    assertFails(() -> directory.bind(null));
    assertFails(() -> directory.unbind("", "c"));
    assertFails(() -> directory.unbind("x", null));
    assertFails(() -> directory.lookup(null));
    assertFails(() -> directory.lookupAll(null));
    assertFails(() -> directory.lookupAll(java.util.Arrays.asList("x", null)));
    assertFails(() -> directory.refresh("x", ""));
    assertFails(() -> directory.refreshAll(Map.of("x", "")));
    assertThatThrownBy(() -> new Session("", "g", "c", 0)).hasMessageContaining("session.clientId");
    assertThatThrownBy(() -> new Session("x", "g", "c", -1)).hasMessageContaining("session.at");
  }

  private static void assertFails(java.util.function.Supplier<Future<?>> call) {
    Future<?> future = call.get();
    assertThat(future.failed()).as("failed at once").isTrue();
    assertThat(future.cause()).isInstanceOf(IllegalArgumentException.class);
  }
}
