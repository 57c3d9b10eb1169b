package io.weft.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class LocalServiceRegistryTest {

  private static final ServiceInstance A = ServiceInstance.of("demo", "echo", "127.0.0.1", 9001);
  private static final ServiceInstance B = ServiceInstance.of("demo", "echo", "127.0.0.1", 9002);

  @Test
  void aWatcherSeesWhatIsRegisteredThenEveryChangeInOrder(Vertx vertx) throws Exception {
    LocalServiceRegistry services = LocalServiceRegistry.get(vertx);
    LocalServiceRegistry gate = LocalServiceRegistry.get(vertx);
    Registration a = services.register(A).await(1, TimeUnit.SECONDS);
    List<ServiceEvent> events = new CopyOnWriteArrayList<>();
    gate.watch(events::add).await(1, TimeUnit.SECONDS);
    services.register(B).await(1, TimeUnit.SECONDS);
    a.deregister().await(1, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(2)).until(() -> events.size() == 3);
    assertThat(events).containsExactly(ServiceEvent.up(A), ServiceEvent.up(B), ServiceEvent.down(A));
    assertThat(gate.instances()).containsExactly(B);
  }

  @Test
  void closingAViewRemovesItsRegistrationsAndStopsItsWatches(Vertx vertx) throws Exception {
    LocalServiceRegistry first = LocalServiceRegistry.get(vertx);
    LocalServiceRegistry second = LocalServiceRegistry.get(vertx);
    List<ServiceEvent> events = new CopyOnWriteArrayList<>();
    first.watch(events::add).await(1, TimeUnit.SECONDS);
    second.register(A).await(1, TimeUnit.SECONDS);
    first.register(B).await(1, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(2)).until(() -> events.size() == 2);
    first.close().await(1, TimeUnit.SECONDS);
    assertThat(second.instances()).containsExactly(A);
    second.register(ServiceInstance.of("demo", "other", "127.0.0.1", 9003)).await(1, TimeUnit.SECONDS);
    assertThat(events).hasSize(2);
  }

  @Test
  void separateVertxInstancesHaveSeparateRegistries(Vertx vertx) throws Exception {
    Vertx other = Vertx.vertx();
    try {
      LocalServiceRegistry.get(vertx).register(A).await(1, TimeUnit.SECONDS);
      assertThat(LocalServiceRegistry.get(other).instances()).isEmpty();
    } finally {
      other.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void instanceJsonFollowsTheProtocolLayout() {
    ServiceInstance i = new ServiceInstance("demo", "echo", null, "10.0.0.5", 9000, 3, Map.of("zone", "a"), "1.2", 42L);
    JsonObject json = i.toJson();
    assertThat(json.fieldNames()).containsExactlyInAnyOrder("id", "host", "port", "weight", "tags", "version", "startedAt");
    assertThat(json.getString("id")).isEqualTo("10.0.0.5:9000");
    assertThat(ServiceInstance.fromJson("demo", "echo", json)).isEqualTo(i);
    assertThatThrownBy(() -> ServiceInstance.of("demo", "echo", "h", 0)).hasMessageContaining("port");
  }

  @Test
  void registryOptionsRoundTripAndRefuseBadValues() {
    RegistryOptions o = new RegistryOptions().setType(RegistryOptions.Type.ETCD)
        .setEndpoints(List.of("http://a:2379", "http://b:2379")).setLeaseTtlSec(5).setRelistMs(1000)
        .setConfigRelistMs(500);
    assertThat(new RegistryOptions(o.toJson()).toJson()).isEqualTo(o.toJson());
    assertThat(new RegistryOptions(o.toJson()).getConfigRelistMs()).isEqualTo(500);
    assertThat(new RegistryOptions().getConfigRelistMs()).isEqualTo(RegistryOptions.DEFAULT_CONFIG_RELIST_MS);
    assertThat(new RegistryOptions(new JsonObject().put("endpoints", "http://x:1, http://y:2")).getEndpoints())
        .containsExactly("http://x:1", "http://y:2");
    assertThatThrownBy(() -> new RegistryOptions(new JsonObject().put("type", "zookeeper")))
        .hasMessageContaining("registry.type").hasMessageContaining("zookeeper");
    assertThatThrownBy(() -> new RegistryOptions().setLeaseTtlSec(0)).hasMessageContaining("leaseTtlSec");
    assertThatThrownBy(() -> new RegistryOptions().setConfigRelistMs(10)).hasMessageContaining("configRelistMs");
    assertThatThrownBy(() -> new RegistryOptions().setEndpoints(List.of(" "))).hasMessageContaining("endpoints");
  }

  @Test
  void advertiseHostIsNeverAWildcard() {
    assertThat(AdvertiseHost.resolve("0.0.0.0", "pod.ip")).isEqualTo("pod.ip");
    assertThat(AdvertiseHost.resolve("127.0.0.1", null)).isEqualTo("127.0.0.1");
    assertThat(AdvertiseHost.resolve("0.0.0.0", null)).isNotIn("0.0.0.0", "::");
  }
}
