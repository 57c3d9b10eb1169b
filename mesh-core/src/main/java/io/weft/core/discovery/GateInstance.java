package io.weft.core.discovery;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A running gate, as registered under {@code /weft/gates/<host:port>} (PROTOCOL.md section 9).
 *
 * @param id the gate's advertised {@code host:port}, which is also its {@code Gate} id on the wire
 * @param mode {@code internal} or {@code external}
 * @param startedAt epoch milliseconds
 */
public record GateInstance(String id, String host, int port, String mode, long startedAt) {

  public GateInstance {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, but was " + port);
    }
    id = id == null ? host + ":" + port : id;
    mode = mode == null ? "internal" : mode;
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("host", host).put("port", port).put("mode", mode)
        .put("startedAt", startedAt);
  }

  public static GateInstance fromJson(JsonObject json) {
    return new GateInstance(json.getString("id"), json.getString("host"), json.getInteger("port", 0),
        json.getString("mode"), json.getLong("startedAt", 0L));
  }
}
