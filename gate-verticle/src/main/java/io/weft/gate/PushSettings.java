package io.weft.gate;

import io.vertx.core.json.JsonObject;

/**
 * Where a gate finds the push service and how it treats logins (PROTOCOL.md section 8): after a
 * login it sends the push service a one-way {@code Restore}, it turns a client's
 * {@code MSG_PUSH_REPLY} into a one-way {@code Reply}, and, when a client id logs in again
 * elsewhere, the old connection receives a {@code Kicked} push if {@code kickOnRelogin}.
 * <pre>{@code "push": {"namespace": "weft", "service": "push", "kickOnRelogin": true}}</pre>
 */
public record PushSettings(String namespace, String service, boolean kickOnRelogin) {

  public static final PushSettings DEFAULT = new PushSettings("weft", "push", true);

  /** The method of the push that tells a connection its client id logged in elsewhere. */
  public static final String KICKED = "Kicked";

  public PushSettings {
    if (namespace == null || namespace.isBlank() || service == null || service.isBlank()) {
      throw new IllegalArgumentException("push.namespace and push.service must be set");
    }
  }

  public static PushSettings fromJson(JsonObject json) {
    if (json == null) {
      return DEFAULT;
    }
    return new PushSettings(json.getString("namespace", DEFAULT.namespace), json.getString("service", DEFAULT.service),
        json.getBoolean("kickOnRelogin", DEFAULT.kickOnRelogin));
  }

  public JsonObject toJson() {
    return new JsonObject().put("namespace", namespace).put("service", service).put("kickOnRelogin", kickOnRelogin);
  }
}
