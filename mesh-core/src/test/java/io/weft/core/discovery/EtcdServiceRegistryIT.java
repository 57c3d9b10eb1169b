package io.weft.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.KeyValue;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.weft.core.test.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link EtcdServiceRegistry} against the etcd {@code scripts/test.sh} starts. */
@ExtendWith(VertxExtension.class)
class EtcdServiceRegistryIT {

  private static final Duration SOON = Duration.ofSeconds(5);

  private static String url;
  private static RawEtcd etcd;

  /** Each test works in a namespace of its own, so that tests sharing the etcd do not see each other. */
  private final String ns = "it-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<ServiceRegistry> registries = new ArrayList<>();

  @BeforeAll
  static void connect() {
    url = TestServers.etcd();
    etcd = new RawEtcd(url);
  }

  @AfterAll
  static void disconnect() {
    if (etcd != null) {
      etcd.close();
    }
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (ServiceRegistry registry : registries) {
      registry.close().await(10, TimeUnit.SECONDS);
    }
    etcd.deletePrefix("/weft/services/" + ns + "/");
  }

  private EtcdServiceRegistry registry(Vertx vertx) {
    EtcdServiceRegistry registry = EtcdServiceRegistry.create(vertx, new RegistryOptions()
        .setType(RegistryOptions.Type.ETCD).setEndpoints(List.of(url)).setLeaseTtlSec(2));
    registries.add(registry);
    return registry;
  }

  private ServiceInstance instance(String service, int port) {
    return new ServiceInstance(ns, service, null, "127.0.0.1", port, 2, Map.of("zone", "a"), "1.0", 42L);
  }

  private static <T> T done(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  @Test
  void aRegistrationPutsTheInstanceJsonUnderItsKeyAndLease(Vertx vertx) throws Exception {
    ServiceInstance a = instance("echo", 9001);
    Registration registration = done(registry(vertx).register(a));

    String key = "/weft/services/" + ns + "/echo/127.0.0.1:9001";
    assertThat(registration.key()).isEqualTo(key);
    KeyValue kv = etcd.get(key).orElseThrow();
    assertThat(new JsonObject(RawEtcd.string(kv.getValue()))).isEqualTo(a.toJson());
    assertThat(kv.getLease()).isNotZero();
    assertThat(etcd.ttl(kv.getLease())).isBetween(1L, 2L);
  }

  @Test
  void theLeaseIsKeptAliveBeyondItsTtl(Vertx vertx) throws Exception {
    Registration registration = done(registry(vertx).register(instance("echo", 9001)));
    long lease = etcd.get(registration.key()).orElseThrow().getLease();

    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
        .until(() -> etcd.get(registration.key()).map(KeyValue::getLease).orElse(0L) == lease);
  }

  @Test
  void aWatcherSeesWhatIsRegisteredThenEveryChangeInOrderOnItsContext(Vertx vertx) throws Exception {
    EtcdServiceRegistry services = registry(vertx);
    ServiceInstance a = instance("echo", 9001);
    ServiceInstance b = instance("echo", 9002);
    ServiceInstance c = instance("chat", 9003);
    Registration ra = done(services.register(a));
    EventLog log = new EventLog(ns);
    Context context = vertx.getOrCreateContext();
    done(Future.<ServiceWatch>future(p -> context.runOnContext(v -> registry(vertx).watch(log).onComplete(p))));
    assertThat(log.events).containsExactly(ServiceEvent.up(a));

    Registration rb = done(services.register(b));
    done(ra.deregister());
    done(services.register(c));
    done(rb.deregister());

    await().atMost(SOON).until(() -> log.events.size() == 5);
    assertThat(log.events).containsExactly(ServiceEvent.up(a), ServiceEvent.up(b), ServiceEvent.down(a),
        ServiceEvent.up(c), ServiceEvent.down(b));
    assertThat(log.contexts).containsExactly(context);
  }

  @Test
  void deregisterRevokesTheLeaseSoTheKeyGoesAtOnce(Vertx vertx) throws Exception {
    EventLog log = new EventLog(ns);
    EtcdServiceRegistry registry = registry(vertx);
    done(registry.watch(log));
    ServiceInstance a = instance("echo", 9001);
    Registration registration = done(registry.register(a));
    long lease = etcd.get(registration.key()).orElseThrow().getLease();

    done(registration.deregister());
    assertThat(etcd.get(registration.key())).isEmpty();
    assertThat(etcd.ttl(lease)).isEqualTo(-1);
    done(registration.deregister());
    await().atMost(SOON).until(() -> log.events.size() == 2);
    assertThat(log.events).containsExactly(ServiceEvent.up(a), ServiceEvent.down(a));
  }

  @Test
  void aLeaseRevokedBehindTheRegistrysBackIsReplaced(Vertx vertx) throws Exception {
    Registration registration = done(registry(vertx).register(instance("echo", 9001)));
    long lease = etcd.get(registration.key()).orElseThrow().getLease();

    etcd.revoke(lease);
    assertThat(etcd.get(registration.key())).isEmpty();
    await().atMost(SOON).until(() -> etcd.get(registration.key()).map(KeyValue::getLease).orElse(lease) != lease);
  }

  @Test
  void aKeyDeletedBehindTheRegistrysBackIsPutAgain(Vertx vertx) throws Exception {
    ServiceInstance a = instance("echo", 9001);
    Registration registration = done(registry(vertx).register(a));

    etcd.delete(registration.key());
    await().atMost(SOON).until(() -> etcd.get(registration.key()).isPresent());
    KeyValue kv = etcd.get(registration.key()).orElseThrow();
    assertThat(new JsonObject(RawEtcd.string(kv.getValue()))).isEqualTo(a.toJson());
    assertThat(etcd.ttl(kv.getLease())).isPositive();
  }

  @Test
  void malformedValuesUnderThePrefixAreSkipped(Vertx vertx) throws Exception {
    String prefix = "/weft/services/" + ns + "/";
    etcd.put(prefix + "echo/10.0.0.1:1", "{not json");
    etcd.put(prefix + "echo/10.0.0.2:1", "{\"host\":\"10.0.0.2\",\"port\":\"one\"}");
    etcd.put(prefix + "too/deep/10.0.0.3:1", instance("deep", 1).toJson().encode());
    EventLog log = new EventLog(ns);
    EtcdServiceRegistry registry = registry(vertx);
    done(registry.watch(log));
    assertThat(log.events).isEmpty();

    etcd.put(prefix + "echo/10.0.0.4:1", "[]");
    ServiceInstance a = instance("echo", 9001);
    done(registry.register(a));
    ServiceInstance fixed = new ServiceInstance(ns, "echo", "10.0.0.1:1", "10.0.0.1", 1, 1, Map.of(), "", 7L);
    etcd.put(prefix + "echo/10.0.0.1:1", fixed.toJson().encode());
    etcd.put(prefix + "echo/10.0.0.1:1", "garbage again");

    await().atMost(SOON).until(() -> log.events.size() == 3);
    assertThat(log.events).containsExactly(ServiceEvent.up(a), ServiceEvent.up(fixed), ServiceEvent.down(fixed));
  }

  @Test
  void gatesListsTheRegisteredGates(Vertx vertx) throws Exception {
    EtcdServiceRegistry registry = registry(vertx);
    String host = "10.9." + (int) (Math.random() * 250) + "." + (int) (Math.random() * 250);
    GateInstance g1 = new GateInstance(null, host, 7001, "internal", 1L);
    GateInstance g2 = new GateInstance(null, host, 7002, "external", 2L);
    Registration r1 = done(registry.registerGate(g1));
    Registration r2 = done(registry.registerGate(g2));
    String bad = "/weft/gates/" + host + ":1";
    etcd.put(bad, "{\"port\":1}");
    try {
      assertThat(r1.key()).isEqualTo("/weft/gates/" + host + ":7001");
      assertThat(done(registry.gates())).contains(g1, g2).noneMatch(g -> g.id().equals(host + ":1"));

      done(r1.deregister());
      assertThat(done(registry.gates())).contains(g2).doesNotContain(g1);
    } finally {
      etcd.delete(bad);
      done(r2.deregister());
    }
  }

  @Test
  void closeDeregistersEverythingAndLeavesTheApplicationsVertxRunning(Vertx vertx) throws Exception {
    EtcdServiceRegistry registry = registry(vertx);
    Registration a = done(registry.register(instance("echo", 9001)));
    Registration b = done(registry.registerGate(new GateInstance(null, "10.8.0.1", 7001, null, 1L)));
    EventLog log = new EventLog(ns);
    done(registry.watch(log));

    done(registry.close());
    assertThat(etcd.get(a.key())).isEmpty();
    assertThat(etcd.get(b.key())).isEmpty();
    done(registry.close());
    assertThatThrownBy(() -> done(registry.register(instance("echo", 9002)))).hasMessageContaining("closed");
    // jetcd closes the Vert.x it is given when its client closes: the registry must not let it.
    assertThat(done(Future.<Long>future(p -> vertx.setTimer(1, p::complete)))).isNotNull();
    assertThat(log.events).containsExactly(ServiceEvent.up(instance("echo", 9001)));
  }

  @Test
  void namesThatWouldNotReadBackAreRefused(Vertx vertx) {
    EtcdServiceRegistry registry = registry(vertx);
    ServiceInstance slashed = new ServiceInstance(ns, "a/b", null, "127.0.0.1", 9001, 1, Map.of(), "", 0L);
    assertThatThrownBy(() -> done(registry.register(slashed))).hasMessageContaining("service");
  }

  @Test
  void callsFailInsteadOfHangingWhenEtcdIsUnreachable(Vertx vertx) throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    EtcdServiceRegistry registry = EtcdServiceRegistry.create(vertx, new RegistryOptions()
        .setEndpoints(List.of("http://127.0.0.1:" + closedPort)));
    registries.add(registry);
    assertThatThrownBy(() -> done(registry.register(instance("echo", 9001)))).hasMessageContaining("UNAVAILABLE");
    assertThatThrownBy(() -> done(registry.watch(e -> { }))).hasMessageContaining("UNAVAILABLE");
    assertThatThrownBy(() -> done(registry.gates())).hasMessageContaining("UNAVAILABLE");
    done(registry.close());
  }

  @Test
  void theFactoryGivesEachVerticleAViewOfOneSharedEtcdRegistry(Vertx vertx) throws Exception {
    RegistryOptions options = new RegistryOptions(new JsonObject().put("type", "etcd").put("endpoints", url));
    ServiceRegistry first = ServiceRegistries.create(vertx, options);
    ServiceRegistry second = ServiceRegistries.create(vertx, options);
    registries.add(first);
    registries.add(second);
    ServiceInstance kept = ServiceInstance.of("factory", "svc", "127.0.0.1", 7101);
    ServiceInstance dropped = ServiceInstance.of("factory", "svc", "127.0.0.1", 7102);
    second.register(kept).await(5, TimeUnit.SECONDS);
    first.register(dropped).await(5, TimeUnit.SECONDS);
    // closing one view removes what it registered, and nothing of the other's
    first.close().await(5, TimeUnit.SECONDS);
    assertThat(etcd.get("/weft/services/factory/svc/127.0.0.1:7101")).isPresent();
    assertThat(etcd.get("/weft/services/factory/svc/127.0.0.1:7102")).isEmpty();
    assertThatThrownBy(() -> EtcdServiceRegistry.create(vertx, new RegistryOptions().setEndpoints(List.of("nohost"))))
        .hasMessageContaining("registry.endpoints");
  }
}
