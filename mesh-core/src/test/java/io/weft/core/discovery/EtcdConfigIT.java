package io.weft.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.KeyValue;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.governance.DisabledRules;
import io.weft.core.test.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The runtime config of {@link EtcdServiceRegistry} ({@code /weft/config/}) against the test etcd. */
@ExtendWith(VertxExtension.class)
class EtcdConfigIT {

  /** The promise: a switch applies within a second of its write. */
  private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);

  private static String url;
  private static RawEtcd etcd;

  /** Each test works under a prefix of its own, so that tests sharing the etcd do not see each other. */
  private final String dir = "it-" + UUID.randomUUID().toString().substring(0, 8) + "/";
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
    String name = dir.substring(0, dir.length() - 1);
    etcd.deletePrefix("/weft/config/" + name);
    etcd.deletePrefix("/weft/config/disabled/" + name);
  }

  private ServiceRegistry registry(Vertx vertx) {
    ServiceRegistry registry = ServiceRegistries.create(vertx, new RegistryOptions()
        .setType(RegistryOptions.Type.ETCD).setEndpoints(List.of(url)));
    registries.add(registry);
    return registry;
  }

  private static <T> T done(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  @Test
  void putConfigWritesAKeyWithoutLeaseUnderTheConfigRootAndDeleteConfigRemovesIt(Vertx vertx) throws Exception {
    ServiceRegistry registry = registry(vertx);
    done(registry.putConfig(dir + "a", "{\"sources\":[]}"));
    done(registry.putConfig(dir + "b/c", "two"));

    KeyValue kv = etcd.get("/weft/config/" + dir + "a").orElseThrow();
    assertThat(RawEtcd.string(kv.getValue())).isEqualTo("{\"sources\":[]}");
    assertThat(kv.getLease()).isZero();
    assertThat(done(registry.config(dir))).containsExactly(
        Map.entry(dir + "a", "{\"sources\":[]}"), Map.entry(dir + "b/c", "two"));
    assertThat(done(registry.config(dir + "b/"))).containsOnlyKeys(dir + "b/c");

    assertThat(done(registry.deleteConfig(dir + "a"))).isTrue();
    assertThat(done(registry.deleteConfig(dir + "a"))).isFalse();
    assertThat(etcd.get("/weft/config/" + dir + "a")).isEmpty();
    assertThatThrownBy(() -> done(registry.putConfig("/" + dir, "x"))).hasMessageContaining("config key");
  }

  @Test
  void aConfigWatchIsGivenTheSetThenEveryChangeWithinASecondOnItsContext(Vertx vertx) throws Exception {
    ServiceRegistry registry = registry(vertx);
    etcd.put("/weft/config/" + dir + "x", "1");
    etcd.put("/weft/config/" + dir.substring(0, dir.length() - 1) + "-sibling", "not mine");
    ConfigLog log = new ConfigLog();
    Context context = vertx.getOrCreateContext();
    ConfigWatch watch = done(Future.<ConfigWatch>future(
        p -> context.runOnContext(v -> registry(vertx).watchConfig(dir, log).onComplete(p))));
    assertThat(log.snapshots).containsExactly(Map.of(dir + "x", "1"));

    done(registry.putConfig(dir + "y", "2"));
    await().atMost(WITHIN_A_SECOND).until(() -> Map.of(dir + "x", "1", dir + "y", "2").equals(log.last()));
    etcd.delete("/weft/config/" + dir + "x"); // behind the registry's back
    await().atMost(WITHIN_A_SECOND).until(() -> Map.of(dir + "y", "2").equals(log.last()));
    etcd.put("/weft/config/" + dir + "y", "2"); // the same value again: nothing to tell
    int told = log.snapshots.size();
    assertThat(told).isEqualTo(3);
    assertThat(log.contexts).containsExactly(context);

    done(watch.close());
    etcd.put("/weft/config/" + dir + "z", "3");
    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> log.snapshots.size() == told);
  }

  @Test
  void disabledRulesFollowTheSwitchesAndSkipMalformedOnes(Vertx vertx) throws Exception {
    ServiceRegistry registry = registry(vertx);
    AtomicReference<DisabledRules> rules = new AtomicReference<>();
    done(DisabledRules.watch(registry, rules::set));
    String ns = dir.substring(0, dir.length() - 1);

    DisabledRules.Rule sleep = DisabledRules.Rule.ofTarget(ns + "/echo/Sleep", List.of("mobile"));
    done(registry.putConfig(sleep.key(), sleep.value()));
    etcd.put("/weft/config/disabled/" + ns + "/broken", "{oops");
    await().atMost(WITHIN_A_SECOND).untilAsserted(() -> {
      assertThat(rules.get().rules()).contains(sleep);
      assertThat(rules.get().problems()).anySatisfy(p -> assertThat(p).startsWith("disabled/" + ns + "/broken"));
    });
    assertThat(rules.get().match(ns, "echo", "Sleep", "mobile")).isEqualTo(sleep);
    assertThat(rules.get().match(ns, "echo", "Sleep", "web")).isNull();

    done(registry.deleteConfig(sleep.key()));
    await().atMost(WITHIN_A_SECOND).until(() -> rules.get().match(ns, "echo", "Sleep", "mobile") == null);
  }

  @Test
  void closingTheRegistryStopsItsConfigWatches(Vertx vertx) throws Exception {
    ServiceRegistry registry = registry(vertx);
    ConfigLog log = new ConfigLog();
    done(registry.watchConfig(dir, log));
    done(registry.close());
    etcd.put("/weft/config/" + dir + "late", "1");
    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> log.snapshots.size() == 1);
    assertThatThrownBy(() -> done(registry.watchConfig(dir, m -> { }))).hasMessageContaining("closed");
  }
}
