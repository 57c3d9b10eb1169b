package io.weft.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.client.CallOptions;
import io.weft.core.client.MeshClient;
import io.weft.core.lb.LoadBalancerType;
import io.weft.examples.echo.EchoService.SeqReply;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tags, hash keys, order keys and per-service strategies, through a real gate. */
@ExtendWith(VertxExtension.class)
class GateBalancingIT {

  private MeshFixture mesh;

  @BeforeEach
  void setUp(Vertx vertx) {
    mesh = new MeshFixture(vertx);
  }

  private static String whoami(MeshClient client, CallOptions options) throws Exception {
    return String.valueOf(client.call("demo", "echo", "Whoami", Map.of(), Map.class, options)
        .await(5, TimeUnit.SECONDS).get("Instance"));
  }

  @Test
  void tagsRouteOnlyToInstancesCarryingAllOfThem() throws Exception {
    mesh.startEcho(MeshFixture.echoOptions().setTags(Map.of("zone", "a")));
    mesh.startEcho(MeshFixture.echoOptions().setTags(Map.of("zone", "b", "tier", "vip")));
    mesh.startGate();
    mesh.awaitRoutable(2);
    MeshClient client = mesh.client();
    Set<String> vip = new HashSet<>();
    Set<String> zoneA = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      vip.add(whoami(client, CallOptions.DEFAULT.withTags(Map.of("tier", "vip"))));
      zoneA.add(whoami(client, CallOptions.DEFAULT.withTags(Map.of("zone", "a"))));
    }
    assertThat(vip).hasSize(1);
    assertThat(zoneA).hasSize(1).doesNotContainAnyElementsOf(vip);
    assertThatThrownBy(() -> whoami(client, CallOptions.DEFAULT.withTags(Map.of("zone", "a", "tier", "vip"))))
        .satisfies(t -> assertThat(((MeshException) (t instanceof CompletionException ? t.getCause() : t)).code())
            .isEqualTo(Code.UNAVAILABLE))
        .hasMessageContaining("tags");
  }

  @Test
  void aHashKeyStaysOnOneInstanceAndKeysSpreadOverAll() throws Exception {
    mesh.startEcho();
    mesh.startEcho();
    mesh.startGate(new GateOptions().setTickMs(5).setLoadBalancer(LoadBalancerType.CONSISTENT_HASH));
    mesh.awaitRoutable(2);
    MeshClient client = mesh.client();
    Set<String> spread = new HashSet<>();
    for (int key = 0; key < 20; key++) {
      Set<String> forKey = new HashSet<>();
      for (int i = 0; i < 5; i++) {
        forKey.add(whoami(client, CallOptions.DEFAULT.withHashKey("player-" + key)));
      }
      assertThat(forKey).as("player-" + key).hasSize(1);
      spread.addAll(forKey);
    }
    assertThat(spread).hasSize(2);
  }

  @Test
  void callsWithOneOrderKeyAreHandledInSendingOrderEvenWhenAnInstanceJoins() throws Exception {
    mesh.startEcho();
    mesh.startEcho();
    mesh.startGate();
    mesh.awaitRoutable(2);
    MeshClient client = mesh.client();
    CallOptions ordered = CallOptions.DEFAULT.withOrderKey("room-7");
    List<Future<SeqReply>> replies = new ArrayList<>();
    for (int n = 1; n <= 300; n++) {
      replies.add(client.call("demo", "echo", "Seq", Map.of("Key", "room-7", "N", n), SeqReply.class, ordered));
      if (n == 100) {
        // a new instance while the key has calls in flight must not take over the key mid-burst
        mesh.vertx.executeBlocking(() -> mesh.startEcho());
      }
    }
    Future.all(replies).await(20, TimeUnit.SECONDS);
    for (int n = 1; n <= 300; n++) {
      SeqReply r = replies.get(n - 1).result();
      assertThat(r.prev()).as("call %d saw the call before it", n).isEqualTo(n - 1);
    }
  }

  @Test
  void aServiceCanHaveItsOwnStrategy() throws Exception {
    mesh.startEcho();
    mesh.startEcho();
    mesh.startGate(new GateOptions().setTickMs(5).setLoadBalancer(LoadBalancerType.RANDOM)
        .setServiceLoadBalancers(Map.of("demo/echo", LoadBalancerType.ROUND_ROBIN)));
    mesh.awaitRoutable(2);
    MeshClient client = mesh.client();
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      order.add(whoami(client, CallOptions.DEFAULT));
    }
    for (int i = 2; i < order.size(); i++) {
      assertThat(order.get(i)).isEqualTo(order.get(i - 2)).isNotEqualTo(order.get(i - 1));
    }
  }
}
