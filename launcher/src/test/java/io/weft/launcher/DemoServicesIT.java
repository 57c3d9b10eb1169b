package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.client.MeshClient;
import io.weft.core.client.MeshClientOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo services of conf/local.json (chat, friends, leaderboard), called as the demo page calls
 * them: through the external gate, with development tokens, logged in, receiving their pushes.
 * Each test has users and rooms of its own, since the services keep their state.
 */
class DemoServicesIT {

  private static DemoMesh mesh;

  @BeforeAll
  static void start() throws Exception {
    mesh = new DemoMesh();
  }

  @AfterAll
  static void stop() throws Exception {
    mesh.close();
  }

  /** A logged-in user of the external gate and the pushes it received, by method. */
  private record User(MeshClient client, Map<String, Queue<Map<String, Object>>> pushes) {

    static User of(String name) throws Exception {
      MeshClient client = mesh.user(name);
      Map<String, Queue<Map<String, Object>>> pushes = new java.util.concurrent.ConcurrentHashMap<>();
      for (String method : List.of("Message", "FriendRequest", "FriendAdded", "FriendOnline")) {
        Queue<Map<String, Object>> queue = new ConcurrentLinkedQueue<>();
        pushes.put(method, queue);
        client.onPush(method, Map.class, (clientId, pushId, args) -> {
          @SuppressWarnings("unchecked")
          Map<String, Object> typed = args;
          queue.add(typed);
          return Future.succeededFuture();
        });
      }
      return new User(client, pushes);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> call(String service, String method, Map<String, ?> args) throws Exception {
      return client.call("demo", service, method, args, Map.class).await(10, TimeUnit.SECONDS);
    }

    Queue<Map<String, Object>> pushed(String method) {
      return pushes.get(method);
    }
  }

  private static void assertCode(Code code, ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(MeshException.class,
        e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
  }

  private static long number(Object o) {
    return ((Number) o).longValue();
  }

  @Test
  void everyLineOfARoomIsPushedToEachOfItsMembers() throws Exception {
    User ann = User.of("ann");
    User bob = User.of("bob");
    Map<String, Object> annJoined = ann.call("chat", "Join", Map.of("Room", "r1"));
    assertThat(annJoined.get("Members")).isEqualTo(List.of("ann"));
    Map<String, Object> bobJoined = bob.call("chat", "Join", Map.of("Room", "r1"));
    assertThat(bobJoined.get("Members")).isEqualTo(List.of("ann", "bob"));
    List<?> history = (List<?>) bobJoined.get("History");
    assertThat(history).hasSize(2);
    assertThat(((Map<?, ?>) history.get(0)).get("From")).isEqualTo("ann");
    assertThat(((Map<?, ?>) history.get(0)).get("Kind")).isEqualTo("join");
    assertThat(((Map<?, ?>) history.get(1)).get("From")).isEqualTo("bob");
    await().atMost(Duration.ofSeconds(10)).until(() -> ann.pushed("Message").stream()
        .anyMatch(m -> "bob".equals(m.get("From")) && "join".equals(m.get("Kind"))));

    Map<String, Object> said = ann.call("chat", "Say", Map.of("Room", "r1", "Text", "hi bob"));
    for (User member : List.of(ann, bob)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> member.pushed("Message").stream()
          .anyMatch(m -> "hi bob".equals(m.get("Text"))));
      Map<String, Object> line = member.pushed("Message").stream().filter(m -> "hi bob".equals(m.get("Text")))
          .findFirst().orElseThrow();
      assertThat(line).containsEntry("Room", "r1").containsEntry("From", "ann").containsEntry("Kind", "text");
      assertThat(number(line.get("Seq"))).isEqualTo(number(said.get("Seq"))).isEqualTo(3);
    }

    bob.call("chat", "Leave", Map.of("Room", "r1"));
    ann.call("chat", "Say", Map.of("Room", "r1", "Text", "bob left"));
    await().atMost(Duration.ofSeconds(10)).until(() -> ann.pushed("Message").stream()
        .anyMatch(m -> "bob left".equals(m.get("Text"))));
    assertThat(bob.pushed("Message")).noneMatch(m -> "bob left".equals(m.get("Text")));
    assertCode(Code.FAILED_PRECONDITION, () -> bob.call("chat", "Say", Map.of("Room", "r1", "Text", "still here?")));
  }

  @Test
  void badInputAndCallersNotLoggedInGetClearCodes() throws Exception {
    MeshClient anonymous = MeshClient.connect(mesh.vertx, new MeshClientOptions().setPort(mesh.externalPort)
        .setToken(mesh.devToken("gus"))).await(10, TimeUnit.SECONDS);
    assertCode(Code.FAILED_PRECONDITION, () -> anonymous.call("demo", "chat", "Join", Map.of("Room", "r2"), Map.class)
        .await(10, TimeUnit.SECONDS));
    assertCode(Code.FAILED_PRECONDITION, () -> anonymous.call("demo", "friends", "List", Map.of(), Map.class)
        .await(10, TimeUnit.SECONDS));
    User gus = User.of("gus");
    assertCode(Code.INVALID_ARGUMENT, () -> gus.call("chat", "Join", Map.of("Room", "no spaces")));
    assertCode(Code.INVALID_ARGUMENT, () -> gus.call("chat", "Join", Map.of()));
    assertCode(Code.FAILED_PRECONDITION, () -> gus.call("chat", "Say", Map.of("Room", "r2", "Text", "not a member")));
    gus.call("chat", "Join", Map.of("Room", "r2"));
    assertCode(Code.INVALID_ARGUMENT, () -> gus.call("chat", "Say", Map.of("Room", "r2", "Text", "x".repeat(501))));
    assertCode(Code.INVALID_ARGUMENT, () -> gus.call("chat", "Say", Map.of("Room", "r2", "Text", " ")));
    assertCode(Code.PERMISSION_DENIED, () -> gus.call("chat", "SendGift",
        Map.of("From", "someone-else", "To", "gus", "Value", 10)));
    assertCode(Code.INVALID_ARGUMENT, () -> gus.call("chat", "SendGift", Map.of("To", "hal", "Value", 0)));
    assertCode(Code.INVALID_ARGUMENT, () -> gus.call("friends", "Add", Map.of("User", "gus")));
    assertCode(Code.INVALID_ARGUMENT, () -> gus.call("friends", "Add", Map.of("User", "")));
    // Only the chat service adds scores: Add is not public.
    assertCode(Code.PERMISSION_DENIED, () -> gus.call("leaderboard", "Add", Map.of("User", "gus", "Score", 1000)));
  }

  @Test
  void giftsMoveTheLeaderboardThroughCallsOnAMeshWithoutEvents() throws Exception {
    User cat = User.of("cat");
    cat.call("chat", "Join", Map.of("Room", "r3"));
    Map<String, Object> receipt = cat.call("chat", "SendGift",
        Map.of("To", "dan", "Gift", "rose", "Value", 250, "Room", "r3"));
    assertThat(receipt).doesNotContainKey("EventId");
    assertThat(number(receipt.get("Score"))).isEqualTo(250);
    assertThat(number(cat.call("chat", "SendGift", Map.of("From", "cat", "To", "dan", "Value", 250)).get("Score")))
        .isEqualTo(500);
    await().atMost(Duration.ofSeconds(10)).until(() -> cat.pushed("Message").stream()
        .anyMatch(m -> "gift".equals(m.get("Kind")) && "rose (250) to dan".equals(m.get("Text"))));
    List<?> top = (List<?>) cat.call("leaderboard", "Top", Map.of("N", 50)).get("Entries");
    assertThat(top.contains(Map.of("User", "dan", "Score", 500))).as(top.toString()).isTrue();
  }

  @Test
  void friendsAskAcceptSeeEachOthersPresenceAndHearWhenOneComesOnline() throws Exception {
    User eve = User.of("eve");
    User fay = User.of("fay");
    assertThat(eve.call("friends", "Add", Map.of("User", "fay"))).containsEntry("Status", "requested");
    await().atMost(Duration.ofSeconds(10)).until(() -> fay.pushed("FriendRequest").contains(Map.of("From", "eve")));
    assertThat(fay.call("friends", "List", Map.of()))
        .containsEntry("Friends", List.of()).containsEntry("Requests", List.of("eve"));

    assertThat(fay.call("friends", "Add", Map.of("User", "eve"))).containsEntry("Status", "friends");
    await().atMost(Duration.ofSeconds(10)).until(() -> eve.pushed("FriendAdded").contains(Map.of("User", "fay")));
    assertThat(eve.call("friends", "List", Map.of()))
        .containsEntry("Friends", List.of(Map.of("User", "fay", "Online", true))).containsEntry("Requests", List.of());
    assertThat(fay.call("friends", "List", Map.of())).containsEntry("Requests", List.of());

    fay.client().close().await(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> eve.call("friends", "List", Map.of())
        .get("Friends").equals(List.of(Map.of("User", "fay", "Online", false))));
    User fayAgain = User.of("fay");
    assertThat(number(fayAgain.call("friends", "Hello", Map.of()).get("Friends"))).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> eve.pushed("FriendOnline").contains(Map.of("User", "fay")));
    assertThat(eve.call("friends", "List", Map.of()).get("Friends"))
        .isEqualTo(List.of(Map.of("User", "fay", "Online", true)));
  }
}
