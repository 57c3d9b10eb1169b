package io.weft.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SessionOptionsTest {

  @Test
  void defaultsAreLocalWithAnHourTtl() {
    SessionOptions o = new SessionOptions();
    assertThat(o.getType()).isEqualTo(SessionOptions.Type.LOCAL);
    assertThat(o.getTtlSeconds()).isEqualTo(3600);
    assertThat(new SessionOptions(new JsonObject()).toJson()).isEqualTo(o.toJson());
  }

  @Test
  void jsonRoundTripsAndTheCopyIsEqual() {
    SessionOptions o = new SessionOptions().setType(SessionOptions.Type.REDIS)
        .setConnectionString("redis://10.0.0.5:6380/2").setTtlSeconds(600).setTimeoutMs(500)
        .setMaxPoolSize(4).setMaxPoolWaiting(64);
    assertThat(new SessionOptions(o.toJson()).toJson()).isEqualTo(o.toJson());
    assertThat(new SessionOptions(o).toJson()).isEqualTo(o.toJson());
    assertThat(o.toJson().getString("type")).isEqualTo("redis");
    assertThat(new SessionOptions(new JsonObject().put("type", "Redis")).getType())
        .isEqualTo(SessionOptions.Type.REDIS);
  }

  @Test
  void badValuesAreRefusedByName() {
    assertThatThrownBy(() -> new SessionOptions(new JsonObject().put("type", "memcached")))
        .hasMessage("session.type must be 'local' or 'redis', but was 'memcached'");
    assertThatThrownBy(() -> new SessionOptions().setTtlSeconds(0))
        .hasMessage("session.ttlSeconds must be >= 1, but was 0");
    assertThatThrownBy(() -> new SessionOptions().setTimeoutMs(5))
        .hasMessage("session.timeoutMs must be >= 10, but was 5");
    assertThatThrownBy(() -> new SessionOptions().setMaxPoolSize(0)).hasMessageContaining("session.maxPoolSize");
    assertThatThrownBy(() -> new SessionOptions(new JsonObject().put("maxPoolWaiting", -1)))
        .hasMessageContaining("session.maxPoolWaiting must be >= 1, but was -1");
    assertThatThrownBy(() -> new SessionOptions().setConnectionString("redis://"))
        .hasMessageContaining("session.connectionString");
  }

  @Test
  void aBadConnectionStringIsNamedWithoutItsPassword() {
    assertThatThrownBy(() -> new SessionOptions().setConnectionString("tcp://weft:s3cret@10.0.0.5:6379"))
        .hasMessageContaining("tcp://***@10.0.0.5:6379")
        .message().doesNotContain("s3cret");
  }
}
