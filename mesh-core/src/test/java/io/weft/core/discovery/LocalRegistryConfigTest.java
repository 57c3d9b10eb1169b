package io.weft.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.governance.DisabledRules;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The runtime config of {@link LocalServiceRegistry}: the semantics of etcd's, in memory. */
@ExtendWith(VertxExtension.class)
class LocalRegistryConfigTest {

  private static final Duration SOON = Duration.ofSeconds(2);

  private static <T> T done(Future<T> future) throws Exception {
    return future.await(2, TimeUnit.SECONDS);
  }

  @Test
  void aWatcherIsGivenTheWholeSetUnderItsPrefixNowThenAfterEveryChangeOnItsContext(Vertx vertx) throws Exception {
    LocalServiceRegistry writer = LocalServiceRegistry.get(vertx);
    LocalServiceRegistry reader = LocalServiceRegistry.get(vertx);
    done(writer.putConfig("disabled/demo/echo", "{}"));
    done(writer.putConfig("other/key", "x"));
    ConfigLog log = new ConfigLog();
    Context context = vertx.getOrCreateContext();
    done(Future.<ConfigWatch>future(p -> context.runOnContext(v -> reader.watchConfig("disabled/", log).onComplete(p))));
    assertThat(log.snapshots).as("given before the future completes").containsExactly(Map.of("disabled/demo/echo", "{}"));

    done(writer.putConfig("disabled/demo/echo/Sleep", "{\"sources\":[]}"));
    done(writer.putConfig("disabled/demo/echo/Sleep", "{\"sources\":[]}")); // no change, no snapshot
    done(writer.putConfig("other/key", "y"));
    assertThat(done(writer.deleteConfig("disabled/demo/echo"))).isTrue();
    assertThat(done(writer.deleteConfig("disabled/demo/echo"))).isFalse();

    await().atMost(SOON).until(() -> log.snapshots.size() == 3);
    assertThat(log.snapshots.get(1)).containsExactly(
        Map.entry("disabled/demo/echo", "{}"), Map.entry("disabled/demo/echo/Sleep", "{\"sources\":[]}"));
    assertThat(log.snapshots.get(2)).containsExactly(Map.entry("disabled/demo/echo/Sleep", "{\"sources\":[]}"));
    assertThat(log.contexts).containsExactly(context);
    assertThat(done(reader.config(""))).containsOnlyKeys("disabled/demo/echo/Sleep", "other/key");
    assertThatThrownBy(() -> log.last().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void closingAViewStopsItsConfigWatchesAndLeavesTheKeysItWrote(Vertx vertx) throws Exception {
    LocalServiceRegistry first = LocalServiceRegistry.get(vertx);
    LocalServiceRegistry second = LocalServiceRegistry.get(vertx);
    ConfigLog firstLog = new ConfigLog();
    ConfigLog secondLog = new ConfigLog();
    done(first.watchConfig("", firstLog));
    ConfigWatch secondWatch = done(second.watchConfig("", secondLog));
    done(first.putConfig("a", "1"));
    // snapshots are delivered asynchronously: let the first view see "a" before it closes
    await().atMost(SOON).until(() -> firstLog.snapshots.size() == 2);
    first.close().await(1, TimeUnit.SECONDS);
    done(second.putConfig("b", "2"));

    await().atMost(SOON).until(() -> secondLog.snapshots.size() == 3 && firstLog.snapshots.size() == 2);
    assertThat(secondLog.last()).isEqualTo(Map.of("a", "1", "b", "2"));
    done(secondWatch.close());
    done(second.putConfig("c", "3"));
    await().during(Duration.ofMillis(300)).atMost(SOON)
        .until(() -> secondLog.snapshots.size() == 3 && firstLog.snapshots.size() == 2);
    assertThat(done(second.config(""))).isEqualTo(Map.of("a", "1", "b", "2", "c", "3"));
  }

  @Test
  void badKeysAndPrefixesAreRefused(Vertx vertx) {
    LocalServiceRegistry registry = LocalServiceRegistry.get(vertx);
    for (String key : new String[] {"", "/weft/config/a", "a/", "a//b"}) {
      assertThatThrownBy(() -> done(registry.putConfig(key, "{}"))).as(key).hasMessageContaining("config key");
      assertThatThrownBy(() -> done(registry.deleteConfig(key))).as(key).hasMessageContaining("config key");
    }
    assertThatThrownBy(() -> done(registry.putConfig("a", null))).hasMessageContaining("value");
    assertThatThrownBy(() -> done(registry.watchConfig("/weft/config/", m -> { }))).hasMessageContaining("prefix");
  }

  @Test
  void disabledRulesFollowTheSwitches(Vertx vertx) throws Exception {
    LocalServiceRegistry registry = LocalServiceRegistry.get(vertx);
    AtomicReference<DisabledRules> rules = new AtomicReference<>();
    done(DisabledRules.watch(registry, rules::set));
    assertThat(rules.get()).isSameAs(DisabledRules.NONE);

    DisabledRules.Rule sleep = DisabledRules.Rule.ofTarget("demo/echo/Sleep", java.util.List.of());
    done(registry.putConfig(sleep.key(), sleep.value()));
    done(registry.putConfig("disabled/demo/broken", "{oops"));
    await().atMost(SOON).until(() -> rules.get().problems().size() == 1);
    assertThat(rules.get().rules()).containsExactly(sleep);
    assertThat(rules.get().match("demo", "echo", "Sleep", "app")).isEqualTo(sleep);
  }
}
