package io.weft.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.KeyValue;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.test.EtcdProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link EtcdServiceRegistry} across etcd crashes, wipes and stalls, on an etcd of the test's own
 * that it kills, restarts and pauses. Registrations must come back by themselves, and a watcher's
 * view must end up equal to what etcd holds.
 */
@ExtendWith(VertxExtension.class)
class EtcdRestartIT {

  private static final String NS = "restart";
  private static final int TTL_SEC = 2;
  private static final Duration CONVERGED = Duration.ofSeconds(20);

  private EtcdProcess etcd;
  private RawEtcd raw;
  private EtcdServiceRegistry registry;

  @BeforeEach
  void startEtcd(Vertx vertx) throws Exception {
    etcd = EtcdProcess.start();
    raw = new RawEtcd(etcd.url());
    registry = newRegistry(vertx);
  }

  @AfterEach
  void stopEtcd() throws Exception {
    registry.close().await(20, TimeUnit.SECONDS);
    raw.close();
    etcd.close();
  }

  private EtcdServiceRegistry newRegistry(Vertx vertx) {
    return EtcdServiceRegistry.create(vertx, new RegistryOptions().setType(RegistryOptions.Type.ETCD)
        .setEndpoints(List.of(etcd.url())).setLeaseTtlSec(TTL_SEC).setRelistMs(1_000));
  }

  private static ServiceInstance instance(int port) {
    return new ServiceInstance(NS, "echo", null, "127.0.0.1", port, 1, Map.of(), "", 1L);
  }

  private static <T> T done(io.vertx.core.Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }

  private void awaitViewIsTruth(EventLog log, int... ports) {
    Map<String, ServiceInstance> expected = new java.util.TreeMap<>();
    for (int port : ports) {
      expected.put("echo/127.0.0.1:" + port, instance(port));
    }
    await().atMost(CONVERGED).untilAsserted(() -> {
      assertThat(raw.truth(NS)).isEqualTo(expected);
      assertThat(log.view()).isEqualTo(expected);
    });
  }

  @Test
  void afterACrashAndRestartRegistrationsComeBackAndTheWatcherCatchesUp(Vertx vertx) throws Exception {
    Registration a = done(registry.register(instance(9001)));
    done(registry.register(instance(9002)));
    EtcdServiceRegistry other = newRegistry(vertx);
    done(other.register(instance(9003)));
    EventLog log = new EventLog(NS);
    done(registry.watch(log));
    awaitViewIsTruth(log, 9001, 9002, 9003);

    etcd.kill();
    // The other process goes while etcd is down: its key can only go when its lease expires.
    done(other.close());
    etcd.restart(false);

    await().atMost(CONVERGED).until(() -> raw.get(a.key()).isPresent());
    done(registry.register(instance(9004)));
    awaitViewIsTruth(log, 9001, 9002, 9004);
  }

  @Test
  void afterARestartWithItsDataWipedRegistrationsArePutAgainAndTheWatcherForgetsTheRest() throws Exception {
    done(registry.register(instance(9001)));
    done(registry.register(instance(9002)));
    raw.put("/weft/services/" + NS + "/echo/127.0.0.1:9003", instance(9003).toJson().encode());
    for (int i = 0; i < 20; i++) {
      raw.put("/scratch", "revision " + i); // the old history runs ahead of the new one
    }
    EventLog log = new EventLog(NS);
    done(registry.watch(log));
    awaitViewIsTruth(log, 9001, 9002, 9003);

    etcd.kill();
    etcd.restart(true);
    raw.put("/weft/services/" + NS + "/echo/127.0.0.1:9005", instance(9005).toJson().encode());

    awaitViewIsTruth(log, 9001, 9002, 9005);
    for (KeyValue kv : raw.list("/weft/services/" + NS + "/echo/127.0.0.1:900")) {
      if (!RawEtcd.string(kv.getKey()).endsWith(":9005")) {
        assertThat(raw.ttl(kv.getLease())).isPositive();
      }
    }
  }

  @Test
  void afterALongOutageRegistrationsAreBackWithinSecondsOfEtcdsReturn() throws Exception {
    Registration a = done(registry.register(instance(9001)));
    EventLog log = new EventLog(NS);
    done(registry.watch(log));
    awaitViewIsTruth(log, 9001);

    etcd.kill();
    // 28 s falls in a long gap of gRPC's reconnection schedule (about 26 s, then 43 s): a client
    // left to it would find etcd back some 15 s late.
    await().atMost(Duration.ofSeconds(40)).pollDelay(Duration.ofSeconds(28)).until(() -> true);
    etcd.restart(true);
    // The test's own client would be stuck in that schedule too.
    raw.close();
    raw = new RawEtcd(etcd.url());

    await().atMost(Duration.ofSeconds(8)).until(() -> raw.get(a.key()).isPresent());
    awaitViewIsTruth(log, 9001);
  }

  @Test
  void aRegistrationSurvivesEtcdStallingPastItsLeaseTtl() throws Exception {
    Registration a = done(registry.register(instance(9001)));
    EventLog log = new EventLog(NS);
    done(registry.watch(log));
    awaitViewIsTruth(log, 9001);
    long lease = raw.get(a.key()).orElseThrow().getLease();

    etcd.pause();
    try {
      // Keepalives go unanswered for twice the TTL, as under the load that lost the seed its services.
      await().pollDelay(Duration.ofSeconds(2L * TTL_SEC)).until(() -> true);
    } finally {
      etcd.resume();
    }

    await().atMost(CONVERGED).until(() -> raw.get(a.key()).map(KeyValue::getLease).orElse(lease) != lease);
    awaitViewIsTruth(log, 9001);
  }
}
