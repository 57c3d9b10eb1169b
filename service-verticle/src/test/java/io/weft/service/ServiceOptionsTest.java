package io.weft.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.ThreadingModel;
import io.vertx.core.json.JsonObject;
import io.weft.core.conn.ConnectionOptions;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServiceOptionsTest {

  private static ServiceOptions named() {
    return new ServiceOptions().setNamespace("test").setName("svc");
  }

  @Test
  void jsonRoundTripKeepsEveryValue() {
    ServiceOptions o = named()
        .setServiceClass("io.weft.service.TestService")
        .setHost("127.0.0.1")
        .setPort(7100)
        .setAdvertiseHost("10.1.2.3")
        .setWeight(3)
        .setTags(Map.of("zone", "a", "canary", "true"))
        .setVersion("1.4.2")
        .setHandlers(4)
        .setOrderedWorkers(8)
        .setThreading(ThreadingModel.VIRTUAL_THREAD)
        .setCallTimeoutMs(2500)
        .setDrainTimeoutMs(1500)
        .setConnection(new ConnectionOptions().setMaxFrameBytes(64 * 1024).setHeartbeat(200, 600))
        .setTls(new io.weft.core.conn.TlsOptions().setCertFile("s.crt").setKeyFile("s.key").setCaFile("gates-ca.crt"))
        .setConfig(new JsonObject().put("greeting", "hi"));

    JsonObject json = o.toJson();
    assertThat(new ServiceOptions(json).getTls().getCaFile()).isEqualTo("gates-ca.crt");

    assertThat(new ServiceOptions(json).toJson()).isEqualTo(json);
    assertThat(json.getString("threading")).isEqualTo("virtual-thread");
    assertThat(json.getString("class")).isEqualTo("io.weft.service.TestService");
  }

  @Test
  void jsonRoundTripOfTheDefaults() {
    JsonObject json = named().toJson();

    ServiceOptions back = new ServiceOptions(json);

    assertThat(back.toJson()).isEqualTo(json);
    assertThat(back.getHost()).isEqualTo(ServiceOptions.DEFAULT_HOST);
    assertThat(back.getPort()).isEqualTo(ServiceOptions.DEFAULT_PORT);
    assertThat(back.getHandlers()).isEqualTo(ServiceOptions.DEFAULT_HANDLERS);
    assertThat(back.getOrderedWorkers()).isEqualTo(ServiceOptions.DEFAULT_ORDERED_WORKERS);
    assertThat(back.getThreading()).isEqualTo(ServiceOptions.DEFAULT_THREADING);
    assertThat(back.getCallTimeoutMs()).isEqualTo(ServiceOptions.DEFAULT_CALL_TIMEOUT_MS);
    assertThat(back.getDrainTimeoutMs()).isEqualTo(ServiceOptions.DEFAULT_DRAIN_TIMEOUT_MS);
    assertThat(back.getAdvertiseHost()).isNull();
    assertThat(json.containsKey("advertiseHost")).isFalse();
  }

  @Test
  void copyIsIndependentOfTheOriginal() {
    ServiceOptions original = named().setPort(7001);

    ServiceOptions copy = new ServiceOptions(original);
    original.setPort(7002);

    assertThat(copy.getPort()).isEqualTo(7001);
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        bad("port", o -> o.setPort(-1), "-1"),
        bad("port", o -> o.setPort(65536), "65536"),
        bad("handlers", o -> o.setHandlers(0), "0"),
        bad("drainTimeoutMs", o -> o.setDrainTimeoutMs(-1), "-1"),
        bad("orderedWorkers", o -> o.setOrderedWorkers(0), "0"),
        bad("weight", o -> o.setWeight(0), "0"),
        bad("callTimeoutMs", o -> o.setCallTimeoutMs(0), "0"),
        bad("advertiseHost", o -> o.setAdvertiseHost("0.0.0.0"), "0.0.0.0"),
        bad("namespace", o -> o.setNamespace("a/b"), "a/b"),
        bad("name", o -> o.setName("x/y"), "x/y"),
        bad("namespace", o -> o.setNamespace(" "), ""));
  }

  private static Arguments bad(String key, Consumer<ServiceOptions> setter, String shown) {
    return Arguments.of(key, setter, shown);
  }

  @ParameterizedTest(name = "[{index}] bad {0} is refused")
  @MethodSource("badValues")
  void setterRefusesABadValueNamingTheKey(String key, Consumer<ServiceOptions> setter, String shown) {
    assertThatThrownBy(() -> setter.accept(named()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(key + " ")
        .hasMessageContaining(shown);
  }

  static Stream<Arguments> badJson() {
    return Stream.of(
        Arguments.of("port", -1, "-1"),
        Arguments.of("handlers", 0, "0"),
        Arguments.of("callTimeoutMs", -5, "-5"),
        Arguments.of("drainTimeoutMs", -1, "-1"),
        Arguments.of("threading", "bogus", "bogus"),
        Arguments.of("advertiseHost", "0.0.0.0", "0.0.0.0"),
        Arguments.of("namespace", "a/b", "a/b"));
  }

  @ParameterizedTest(name = "[{index}] {0}: {1} in JSON is refused")
  @MethodSource("badJson")
  void jsonConstructorRefusesABadValueNamingTheKey(String key, Object value, String shown) {
    JsonObject json = named().toJson().put(key, value);

    assertThatThrownBy(() -> new ServiceOptions(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(key + " ")
        .hasMessageContaining(shown);
  }

  @Test
  void namespaceAndNameAreRequired() {
    assertThatThrownBy(() -> new ServiceOptions(new JsonObject().put("name", "svc")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("namespace");
    assertThatThrownBy(() -> new ServiceOptions(new JsonObject().put("namespace", "test")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("name");
  }

  @Test
  void threadingAcceptsItsSpellings() {
    assertThat(new ServiceOptions(named().toJson().put("threading", "worker")).getThreading())
        .isEqualTo(ThreadingModel.WORKER);
    assertThat(new ServiceOptions(named().toJson().put("threading", "Virtual")).getThreading())
        .isEqualTo(ThreadingModel.VIRTUAL_THREAD);
    assertThat(new ServiceOptions(named().toJson().put("threading", "event_loop")).getThreading())
        .isEqualTo(ThreadingModel.EVENT_LOOP);
  }

  @Test
  void eventsRoundTripAndHaveNoRedisByDefault() {
    assertThat(named().getEvents().getRedis()).isNull();
    ServiceOptions o = named().setEvents(new io.weft.core.events.EventsOptions().setRedis("redis://127.0.0.1:6379")
        .setMaxLen(1000).setVisibilityTimeoutMs(500).setMaxAttempts(2));
    JsonObject json = o.toJson();
    assertThat(new ServiceOptions(json).toJson()).isEqualTo(json);
    assertThat(json.getJsonObject("events").getString("redis")).isEqualTo("redis://127.0.0.1:6379");
    assertThat(new ServiceOptions(o).getEvents().getMaxAttempts()).isEqualTo(2);
  }

  @Test
  void badEventsValuesAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> new ServiceOptions(named().toJson().put("events", new JsonObject().put("maxAttempts", 0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("events.maxAttempts must be >= 1, but was 0");
    assertThatThrownBy(() -> new ServiceOptions(named().toJson().put("events", new JsonObject().put("redis", "localhost"))))
        .hasMessageStartingWith("events.redis must look like redis://host:port");
    assertThatThrownBy(() -> new ServiceOptions(named().toJson().put("events", new JsonObject().put("visibility", 1))))
        .hasMessageStartingWith("unknown key events.visibility");
  }
}
