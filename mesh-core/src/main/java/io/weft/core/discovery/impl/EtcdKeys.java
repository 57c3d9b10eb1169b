package io.weft.core.discovery.impl;

import io.etcd.jetcd.ByteSequence;
import io.vertx.core.json.JsonObject;
import io.weft.core.discovery.GateInstance;
import io.weft.core.discovery.ServiceInstance;
import io.weft.core.discovery.ServiceRegistry;
import java.nio.charset.StandardCharsets;

/**
 * The etcd layout of PROTOCOL.md section 9: {@code /weft/services/<Namespace>/<ServiceName>/<host:port>}
 * and {@code /weft/gates/<host:port>}, each holding the instance's JSON; the runtime config under
 * {@code /weft/config/}.
 */
public final class EtcdKeys {

  public static final String SERVICES = "/weft/services/";
  public static final String GATES = "/weft/gates/";
  public static final String CONFIG = ServiceRegistry.CONFIG_ROOT;

  private EtcdKeys() {
  }

  /** The key of an instance; refuses names that would not read back as the same three segments. */
  public static String service(ServiceInstance instance) {
    return SERVICES + segment("namespace", instance.namespace()) + "/" + segment("service", instance.service())
        + "/" + segment("id", instance.id());
  }

  /** The etcd key of a config key (relative to {@link #CONFIG}). */
  public static String config(String key) {
    return CONFIG + ConfigKeys.checkKey(key);
  }

  public static String gate(GateInstance gate) {
    return GATES + segment("id", gate.id());
  }

  /**
   * Reads the instance stored under {@code key}.
   *
   * @throws IllegalArgumentException if the key or the value is not an instance's (the message says why)
   */
  public static ServiceInstance parseService(String key, String value) {
    String[] parts = key.startsWith(SERVICES) ? key.substring(SERVICES.length()).split("/", -1) : new String[0];
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      throw new IllegalArgumentException("key is not " + SERVICES + "<namespace>/<service>/<host:port>");
    }
    try {
      return ServiceInstance.fromJson(parts[0], parts[1], new JsonObject(value));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("value is not an instance's JSON: " + e.getMessage(), e);
    }
  }

  /** @throws IllegalArgumentException if the value is not a gate's JSON */
  public static GateInstance parseGate(String value) {
    try {
      return GateInstance.fromJson(new JsonObject(value));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("value is not a gate's JSON: " + e.getMessage(), e);
    }
  }

  public static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  public static String string(ByteSequence bytes) {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String segment(String name, String value) {
    if (value.isEmpty() || value.indexOf('/') >= 0) {
      throw new IllegalArgumentException(name + " must be non-empty and without '/', but was '" + value + "'");
    }
    return value;
  }
}
