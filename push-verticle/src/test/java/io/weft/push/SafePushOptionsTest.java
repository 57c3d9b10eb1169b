package io.weft.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SafePushOptionsTest {

  @Test
  void defaultsAreAMongoDbOnLocalhostAndAWeek() {
    SafePushOptions o = new SafePushOptions();
    assertThat(o.isEmbedded()).isFalse();
    assertThat(o.getMongo()).isEqualTo("mongodb://127.0.0.1:27017");
    assertThat(o.getDatabase()).isEqualTo("weft");
    assertThat(o.getCollection()).isEqualTo("push_messages");
    assertThat(o.getTtlSeconds()).isEqualTo(7 * 24 * 3600);
    assertThat(o.getSweepIntervalMs()).isPositive();
    assertThat(o.getEmbeddedPort()).isZero();
  }

  @Test
  void jsonRoundTrip() {
    SafePushOptions o = new SafePushOptions().setEmbedded(true).setDataDir("/tmp/x").setEmbeddedPort(27018)
        .setMongo("mongodb+srv://user:pw@cluster0.example.org/").setDatabase("mesh").setCollection("pushes")
        .setTtlSeconds(60).setSweepIntervalMs(500).setClient(new JsonObject().put("maxPoolSize", 10));
    JsonObject json = o.toJson();

    assertThat(new SafePushOptions(json).toJson()).isEqualTo(json);
    assertThat(new SafePushOptions(o).toJson()).isEqualTo(json);
    assertThat(new SafePushOptions(new JsonObject()).toJson()).isEqualTo(new SafePushOptions().toJson());
    assertThat(json.getInteger("embeddedPort")).isEqualTo(27018);
  }

  @Test
  void theCopyAndTheJsonDoNotShareTheClientConfig() {
    SafePushOptions o = new SafePushOptions().setClient(new JsonObject().put("maxPoolSize", 10));
    new SafePushOptions(o).getClient().put("maxPoolSize", 99);
    o.toJson().getJsonObject("client").put("maxPoolSize", 98);

    assertThat(o.getClient().getInteger("maxPoolSize")).isEqualTo(10);
  }

  @Test
  void badValuesAreRefusedNamingTheKeyAndTheValue() {
    assertThatThrownBy(() -> new SafePushOptions().setTtlSeconds(0)).hasMessageContaining("safePush.ttlSeconds").hasMessageContaining("0");
    assertThatThrownBy(() -> new SafePushOptions().setSweepIntervalMs(5)).hasMessageContaining("safePush.sweepIntervalMs")
        .hasMessageContaining("5");
    assertThatThrownBy(() -> new SafePushOptions().setEmbeddedPort(70000)).hasMessageContaining("safePush.embeddedPort")
        .hasMessageContaining("70000");
    assertThatThrownBy(() -> new SafePushOptions().setMongo("localhost:27017")).hasMessageContaining("safePush.mongo")
        .hasMessageContaining("'localhost:27017'");
    assertThatThrownBy(() -> new SafePushOptions().setDatabase("my.db")).hasMessageContaining("safePush.database")
        .hasMessageContaining("'my.db'");
    assertThatThrownBy(() -> new SafePushOptions().setDatabase(" ")).hasMessageContaining("safePush.database");
    assertThatThrownBy(() -> new SafePushOptions().setCollection("system.users")).hasMessageContaining("safePush.collection");
    assertThatThrownBy(() -> new SafePushOptions().setCollection("a$b")).hasMessageContaining("safePush.collection");
    assertThatThrownBy(() -> new SafePushOptions().setDataDir("")).hasMessageContaining("safePush.dataDir");
  }

  @Test
  void badJsonIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> new SafePushOptions(new JsonObject().put("ttlSeconds", "a week")))
        .hasMessageContaining("safePush.ttlSeconds").hasMessageContaining("a week");
    assertThatThrownBy(() -> new SafePushOptions(new JsonObject().put("ttlSeconds", 1.5)))
        .hasMessageContaining("safePush.ttlSeconds").hasMessageContaining("1.5");
    assertThatThrownBy(() -> new SafePushOptions(new JsonObject().put("embedded", "yes"))).hasMessageContaining("safePush.embedded");
    assertThatThrownBy(() -> new SafePushOptions(new JsonObject().put("client", "maxPoolSize=3"))).hasMessageContaining("safePush.client");
    assertThatThrownBy(() -> new SafePushOptions(new JsonObject().put("embeddedPort", 1L << 40)))
        .hasMessageContaining("safePush.embeddedPort").hasMessageContaining("1099511627776");
    assertThatThrownBy(() -> new SafePushOptions(new JsonObject().put("ttlSeconds", -3))).hasMessageContaining("safePush.ttlSeconds")
        .hasMessageContaining("-3");
  }
}
