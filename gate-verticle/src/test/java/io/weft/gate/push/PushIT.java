package io.weft.gate.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.client.MeshClient;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.session.Session;
import io.weft.core.session.SessionDirectories;
import io.weft.core.session.SessionDirectory;
import io.weft.gate.GateVerticle;
import io.weft.service.Pushes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Logins, unsafe and safe pushes, kicks, and restores, across two gates. */
@ExtendWith(VertxExtension.class)
class PushIT {

  record Echoed(String text) {
  }

  /** What one client connection received: client id -> (push id, text). */
  private static final class Inbox {
    final List<String[]> pushes = new CopyOnWriteArrayList<>();
    final List<String> kicked = new CopyOnWriteArrayList<>();

    Inbox listen(MeshClient client) {
      client.onPush("Echoed", Echoed.class, (clientId, pushId, args) -> {
        pushes.add(new String[] {clientId, pushId, args.text()});
        return Future.succeededFuture();
      });
      client.onPush("Kicked", Map.class, (clientId, pushId, args) -> {
        kicked.add(clientId);
        return Future.succeededFuture();
      });
      return this;
    }
  }

  private static Pushes.PushResult pushMe(MeshClient caller, String clientId, String text, boolean safe) throws Exception {
    return caller.call("demo", "echo", "PushMe", Map.of("ClientId", clientId, "Text", text, "Safe", safe),
        Pushes.PushResult.class).await(10, TimeUnit.SECONDS);
  }

  @Test
  void anUnsafePushReachesTheRightClientAmongManyOverTwoGates(Vertx vertx, @TempDir Path dir) throws Exception {
    PushMesh mesh = new PushMesh(vertx, dir, 60).startServices();
    GateVerticle a = mesh.startGate();
    GateVerticle b = mesh.startGate();
    List<Inbox> inboxes = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      MeshClient client = mesh.client(i % 2 == 0 ? a : b);
      inboxes.add(new Inbox().listen(client));
      client.login("player-" + i).await(5, TimeUnit.SECONDS);
    }
    MeshClient caller = mesh.client(a);
    Pushes.PushResult result = pushMe(caller, "player-7", "hello seven", false);
    assertThat(result.delivered()).isTrue();
    assertThat(result.pushId()).isEmpty();
    await().atMost(Duration.ofSeconds(5)).until(() -> inboxes.get(7).pushes.size() == 1);
    assertThat(inboxes.get(7).pushes.get(0)).containsExactly("player-7", "", "hello seven");
    for (int i = 0; i < 10; i++) {
      if (i != 7) {
        assertThat(inboxes.get(i).pushes).as("player-" + i).isEmpty();
      }
    }
    assertThat(pushMe(caller, "nobody", "x", false).delivered()).isFalse();
  }

  @Test
  void aSafePushToAnOfflineClientArrivesAfterItsLoginAndItsAckEndsIt(Vertx vertx, @TempDir Path dir) throws Exception {
    PushMesh mesh = new PushMesh(vertx, dir, 60).startServices();
    GateVerticle gate = mesh.startGate();
    MeshClient caller = mesh.client(gate);
    Pushes.PushResult stored = pushMe(caller, "away", "kept for you", true);
    assertThat(stored.delivered()).isFalse();
    assertThat(stored.pushId()).isNotEmpty();

    MeshClient first = mesh.client(gate);
    Inbox inbox = new Inbox().listen(first);
    first.login("away").await(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> inbox.pushes.size() == 1);
    assertThat(inbox.pushes.get(0)).containsExactly("away", stored.pushId(), "kept for you");
    // the client's handler succeeded, so it acknowledged; once ARRIVED, a new login restores nothing
    first.close().await(5, TimeUnit.SECONDS);
    Pushes.Restored restored = awaitRestoreIsEmpty(caller, mesh, gate, "away");
    assertThat(restored.restored()).isZero();
  }

  /** Logs in again and asks the push service (as the gate does) what it restores, until the ack has landed. */
  private static Pushes.Restored awaitRestoreIsEmpty(MeshClient caller, PushMesh mesh, GateVerticle gate, String clientId)
      throws Exception {
    MeshClient again = mesh.client(gate);
    again.login(clientId).await(5, TimeUnit.SECONDS);
    Pushes.Restored[] last = new Pushes.Restored[1];
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      last[0] = caller.call("weft", "push", "Restore", Map.of("ClientId", clientId), Pushes.Restored.class)
          .await(5, TimeUnit.SECONDS);
      return last[0].restored() == 0;
    });
    return last[0];
  }

  @Test
  void aLoginElsewhereKicksTheOldConnectionAndTakesItsPushes(Vertx vertx, @TempDir Path dir) throws Exception {
    PushMesh mesh = new PushMesh(vertx, dir, 60).startServices();
    GateVerticle a = mesh.startGate();
    GateVerticle b = mesh.startGate();
    MeshClient old = mesh.client(a);
    Inbox oldInbox = new Inbox().listen(old);
    old.login("hero").await(5, TimeUnit.SECONDS);
    MeshClient fresh = mesh.client(b);
    Inbox freshInbox = new Inbox().listen(fresh);
    fresh.login("hero").await(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> oldInbox.kicked.contains("hero"));
    MeshClient caller = mesh.client(a);
    assertThat(pushMe(caller, "hero", "to the new one", false).delivered()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> freshInbox.pushes.size() == 1);
    assertThat(oldInbox.pushes).isEmpty();
    // the same gate, too
    MeshClient third = mesh.client(b);
    third.login("hero").await(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> freshInbox.kicked.contains("hero"));
  }

  @Test
  void aCrashedGateLeavesNothingStuck(Vertx vertx, @TempDir Path dir) throws Exception {
    PushMesh mesh = new PushMesh(vertx, dir, 2).startServices();
    GateVerticle gate = mesh.startGate();
    // what a gate that crashed leaves behind: a binding to a connection nobody holds any more
    SessionDirectory sessions = SessionDirectories.create(vertx, mesh.sessions);
    sessions.bind(Session.now("ghost", "10.9.9.9:7001", "deadbeef-1")).await(5, TimeUnit.SECONDS);
    MeshClient caller = mesh.client(gate);
    Pushes.PushResult unsafe = pushMe(caller, "ghost", "lost", false);
    assertThat(unsafe.delivered()).as("no gate holds the session").isFalse();
    Pushes.PushResult safe = pushMe(caller, "ghost", "kept", true);
    assertThat(safe.delivered()).isFalse();
    // the stale binding expires with its TTL; the client logs in anew and gets the safe push
    await().atMost(Duration.ofSeconds(5)).until(() -> sessions.lookup("ghost").await(2, TimeUnit.SECONDS) == null);
    MeshClient back = mesh.client(gate);
    Inbox inbox = new Inbox().listen(back);
    back.login("ghost").await(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> inbox.pushes.size() == 1);
    assertThat(inbox.pushes.get(0)[1]).isEqualTo(safe.pushId());
    sessions.close();
  }

  @Test
  void tenThousandSafePushesAllArriveAtLeastOnceThoughTheGateRestartsMidway(Vertx vertx, @TempDir Path dir)
      throws Exception {
    PushMesh mesh = new PushMesh(vertx, dir, 60).startServices();
    GateVerticle front = mesh.startGate();
    mesh.startGate();
    MeshClient pusher = mesh.client(mesh.gates.get(1));
    Set<String> received = ConcurrentHashMap.newKeySet();
    MeshClient client = mesh.client(front);
    client.onPush("Echoed", Echoed.class, (clientId, pushId, args) -> {
      received.add(pushId);
      return Future.succeededFuture();
    });
    client.login("fan").await(5, TimeUnit.SECONDS);

    byte[] innerRpc = ArgsCodec.encodeInnerRpc("Echoed", Map.of("Text", "n"));
    Set<String> sent = ConcurrentHashMap.newKeySet();
    int total = 10_000;
    int batch = 100;
    for (int start = 0; start < total; start += batch) {
      List<Future<Pushes.PushResult>> wave = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        wave.add(pusher.call("weft", "push", "Push", new Pushes.Push("fan", innerRpc, true), Pushes.PushResult.class));
      }
      Future.all(wave).await(60, TimeUnit.SECONDS);
      wave.forEach(f -> sent.add(f.result().pushId()));
      if (start == total / 2) {
        // the client's gate goes away mid-stream; the client comes back through a new one
        mesh.stopGate(0);
        GateVerticle replacement = mesh.startGate();
        client = mesh.client(replacement);
        client.onPush("Echoed", Echoed.class, (clientId, pushId, args) -> {
          received.add(pushId);
          return Future.succeededFuture();
        });
        client.login("fan").await(5, TimeUnit.SECONDS);
      }
    }
    assertThat(sent).hasSize(total);
    await().atMost(Duration.ofSeconds(60)).until(() -> received.containsAll(sent));
  }
}
