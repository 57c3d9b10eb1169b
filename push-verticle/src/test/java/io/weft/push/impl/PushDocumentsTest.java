package io.weft.push.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.weft.push.PushStatus;
import io.weft.push.SafePush;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class PushDocumentsTest {

  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");

  private static SafePush push() {
    return SafePush.unarrive("01JABCDEFGHJKMNPQRSTVWXYZ0", "alice", Buffer.buffer(new byte[] {(byte) 0x92, (byte) 0xa1, 'M', 0}), T0,
        Duration.ofDays(7));
  }

  @Test
  void theDocumentHasTheProtocolsLayout() {
    JsonObject doc = PushDocuments.toDocument(push());

    assertThat(doc.fieldNames()).containsExactlyInAnyOrder("_id", "clientId", "innerRpc", "status", "createdAt", "arrivedAt", "attempts",
        "expireAt");
    assertThat(doc.getString("_id")).isEqualTo("01JABCDEFGHJKMNPQRSTVWXYZ0");
    assertThat(doc.getString("status")).isEqualTo("UNARRIVE");
    assertThat(doc.getJsonObject("createdAt")).isEqualTo(new JsonObject().put("$date", "2026-01-02T03:04:05.678Z"));
    assertThat(doc.getJsonObject("expireAt")).isEqualTo(new JsonObject().put("$date", "2026-01-09T03:04:05.678Z"));
    assertThat(doc.getJsonObject("innerRpc").getBinary("$binary")).containsExactly(0x92, 0xa1, 'M', 0);
    assertThat(doc.getValue("arrivedAt")).isNull();
    assertThat(doc.getInteger("attempts")).isZero();
  }

  @Test
  void aDocumentReadsBackAsThePush() {
    SafePush arrived = new SafePush("id1", "bob", Buffer.buffer("x"), PushStatus.ARRIVED, T0, T0.plusSeconds(60), T0.plusSeconds(1), 3);

    assertThat(PushDocuments.fromDocument(PushDocuments.toDocument(push()))).isEqualTo(push());
    assertThat(PushDocuments.fromDocument(PushDocuments.toDocument(arrived))).isEqualTo(arrived);
  }

  @Test
  void whatTheMongoCodecReturnsReadsToo() {
    // The codec gives dates back with their offset and binary data with its subtype.
    JsonObject doc = PushDocuments.toDocument(push());
    doc.put("createdAt", new JsonObject().put("$date", "2026-01-02T03:04:05.678+00:00"));
    doc.put("innerRpc", doc.getJsonObject("innerRpc").copy().put("$type", 0));
    doc.remove("attempts"); // written by an older version: counted as none

    assertThat(PushDocuments.fromDocument(doc)).isEqualTo(push());
  }

  @Test
  void malformedDocumentsAreRefusedNamingTheField() {
    assertMalformed(doc -> doc.remove("clientId"), "clientId");
    assertMalformed(doc -> doc.put("_id", 42), "_id");
    assertMalformed(doc -> doc.put("innerRpc", "not binary"), "innerRpc");
    assertMalformed(doc -> doc.put("innerRpc", new JsonObject().put("$binary", "!!not base64!!")), "");
    assertMalformed(doc -> doc.put("status", "LOST"), "status");
    assertMalformed(doc -> doc.put("createdAt", "2026-01-02"), "createdAt");
    assertMalformed(doc -> doc.put("createdAt", new JsonObject().put("$date", "yesterday")), "createdAt");
    assertMalformed(doc -> doc.remove("expireAt"), "expireAt");
    assertMalformed(doc -> doc.put("expireAt", PushDocuments.date(T0.minusSeconds(1))), "expireAt");
    assertMalformed(doc -> doc.put("arrivedAt", 17), "arrivedAt");
    assertMalformed(doc -> doc.put("attempts", "many"), "attempts");
    assertMalformed(doc -> doc.put("attempts", -1), "attempts");
    assertMalformed(doc -> doc.put("attempts", 1L << 40), "");
  }

  private static void assertMalformed(Consumer<JsonObject> damage, String field) {
    JsonObject doc = PushDocuments.toDocument(push());
    damage.accept(doc);
    assertThatThrownBy(() -> PushDocuments.fromDocument(doc)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(field);
  }
}
