package io.weft.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.weft.core.events.ConsumerSettings;
import io.weft.core.events.EventsOptions;
import io.weft.core.events.EventsOptions.StartFrom;
import io.weft.service.EventfulService.Gift;
import io.weft.service.impl.HostEvents;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriptionSpecTest {

  private static final EventHandler<Gift> NOTHING = (ctx, gift) -> Future.succeededFuture();

  @Test
  void settingsTakeTheServiceOptionsAndWhatTheSubscriptionOverrides() {
    EventsOptions defaults = new EventsOptions().setMaxAttempts(5).setVisibilityTimeoutMs(30_000).setMaxInFlight(64);
    Rpcs r = new Rpcs();
    SubscriptionSpec<Gift> plain = r.subscribe("gift.sent", Gift.class, NOTHING);
    SubscriptionSpec<Gift> tuned = r.subscribe("gift.kept", Gift.class, NOTHING).orderedBy(Gift::to).maxAttempts(9)
        .visibilityTimeoutMs(400).retryDelayMs(20).maxInFlight(8).startFrom(StartFrom.EARLIEST);

    ConsumerSettings p = plain.settings(defaults, 4);
    assertThat(p.ordered()).isFalse();
    assertThat(p.maxAttempts()).isEqualTo(5);
    assertThat(p.visibilityTimeoutMs()).isEqualTo(30_000);
    assertThat(plain.startFrom(defaults)).isEqualTo(StartFrom.LATEST);

    ConsumerSettings t = tuned.settings(defaults, 4);
    assertThat(t.ordered()).isTrue();
    assertThat(t.lanes()).isEqualTo(4);
    assertThat(t.maxAttempts()).isEqualTo(9);
    assertThat(t.visibilityTimeoutMs()).isEqualTo(400);
    assertThat(t.retryDelayMs()).isEqualTo(20);
    assertThat(t.maxInFlight()).isEqualTo(8);
    assertThat(tuned.startFrom(defaults)).isEqualTo(StartFrom.EARLIEST);
    assertThat(r.subscriptions()).containsOnlyKeys("gift.sent", "gift.kept");
  }

  @Test
  void theKeyIsWhatOrderedBySaysOrElseThePublishersKey() {
    Rpcs r = new Rpcs();
    SubscriptionSpec<Gift> byRecipient = r.subscribe("a", Gift.class, NOTHING).orderedBy(Gift::to);
    SubscriptionSpec<Gift> byPublisher = r.subscribe("b", Gift.class, NOTHING).ordered();
    Gift gift = new Gift("ann", "bob", 1);
    assertThat(byRecipient.keyOf(gift, "room-1")).isEqualTo("bob");
    assertThat(byPublisher.keyOf(gift, "room-1")).isEqualTo("room-1");
    assertThat(byPublisher.isOrdered()).isTrue();
  }

  @Test
  void mistakesAreRefusedWhenDeclared() {
    Rpcs r = new Rpcs();
    r.subscribe("gift.sent", Gift.class, NOTHING);
    assertThatThrownBy(() -> r.subscribe("gift.sent", Gift.class, NOTHING)).hasMessage("topic gift.sent is subscribed twice");
    assertThatThrownBy(() -> r.subscribe("gift sent", Gift.class, NOTHING)).hasMessageContaining("a topic is");
    assertThatThrownBy(() -> r.subscribe("x", Gift.class, NOTHING).maxAttempts(0)).hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> r.subscribe("y", Gift.class, NOTHING).visibilityTimeoutMs(10))
        .hasMessageContaining("visibilityTimeoutMs");
  }

  @Test
  void aServiceThatSubscribesNeedsRedis() {
    Rpcs r = new Rpcs();
    r.subscribe("gift.sent", Gift.class, NOTHING);
    assertThatThrownBy(() -> HostEvents.check("demo", "leaderboard", new EventsOptions(), r.subscriptions().values()))
        .hasMessage("demo/leaderboard subscribes to gift.sent: events need Redis: set events.redis (or WEFT_REDIS)");
    HostEvents.check("demo", "chat", new EventsOptions(), List.of());
    HostEvents.check("demo", "leaderboard", new EventsOptions().setRedis("redis://r:6379"), r.subscriptions().values());
  }

  @Test
  void aServiceMayReadItsConfigInConfigureBeforeItIsDeployed() {
    MeshService service = new MeshService() {
      @Override
      protected void configure(Rpcs r) {
        r.subscribe(config().getString("topic", "default.topic"), Gift.class, NOTHING);
      }
    };
    assertThat(service.declared(new io.vertx.core.json.JsonObject().put("topic", "from.config")).subscriptions())
        .containsOnlyKeys("from.config");
    assertThat(service.declared(null).subscriptions()).containsOnlyKeys("default.topic");
  }
}
