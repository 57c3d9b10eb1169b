package io.weft.core.discovery;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * Which registry a process uses: {@code {"type": "local"}} (in-JVM, the default) or
 * {@code {"type": "etcd", "endpoints": ["http://127.0.0.1:2379"], "leaseTtlSec": 10}}.
 * <p>
 * An etcd watch sees a change at once; each watch also lists its keys again periodically, to catch
 * what it may have missed (an etcd restored or wiped, whose watch would wait silently):
 * {@code relistMs} for the service instances, {@code configRelistMs} for the runtime config. The
 * config's period is short because a switch such as a disabled method must take effect within a
 * second whatever happened to etcd, and cheap because the config is a handful of keys and a
 * listing that finds nothing new leaves the watch as it is; the services' listing grows with the
 * mesh, and an instance seen late costs only capacity.
 */
public class RegistryOptions {

  public enum Type { LOCAL, ETCD }

  public static final Type DEFAULT_TYPE = Type.LOCAL;
  public static final List<String> DEFAULT_ENDPOINTS = List.of("http://127.0.0.1:2379");
  public static final int DEFAULT_LEASE_TTL_SEC = 10;
  public static final long DEFAULT_RELIST_MS = 30_000;
  public static final long DEFAULT_CONFIG_RELIST_MS = 1_000;

  private Type type = DEFAULT_TYPE;
  private List<String> endpoints = DEFAULT_ENDPOINTS;
  private int leaseTtlSec = DEFAULT_LEASE_TTL_SEC;
  private long relistMs = DEFAULT_RELIST_MS;
  private long configRelistMs = DEFAULT_CONFIG_RELIST_MS;

  public RegistryOptions() {
  }

  public RegistryOptions(RegistryOptions other) {
    this.type = other.type;
    this.endpoints = other.endpoints;
    this.leaseTtlSec = other.leaseTtlSec;
    this.relistMs = other.relistMs;
    this.configRelistMs = other.configRelistMs;
  }

  public RegistryOptions(JsonObject json) {
    String typeName = json.getString("type", DEFAULT_TYPE.name());
    try {
      setType(Type.valueOf(typeName.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("registry.type must be 'local' or 'etcd', but was '" + typeName + "'");
    }
    Object eps = json.getValue("endpoints");
    if (eps instanceof JsonArray array) {
      setEndpoints(array.stream().map(String::valueOf).toList());
    } else if (eps instanceof String s) {
      setEndpoints(List.of(s.split(",")));
    } else if (eps != null) {
      throw new IllegalArgumentException("registry.endpoints must be a list or a comma-separated string");
    }
    setLeaseTtlSec(json.getInteger("leaseTtlSec", DEFAULT_LEASE_TTL_SEC));
    setRelistMs(json.getLong("relistMs", DEFAULT_RELIST_MS));
    setConfigRelistMs(json.getLong("configRelistMs", DEFAULT_CONFIG_RELIST_MS));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("type", type.name().toLowerCase(Locale.ROOT))
        .put("endpoints", new JsonArray(endpoints))
        .put("leaseTtlSec", leaseTtlSec)
        .put("relistMs", relistMs)
        .put("configRelistMs", configRelistMs);
  }

  public Type getType() {
    return type;
  }

  public RegistryOptions setType(Type type) {
    this.type = java.util.Objects.requireNonNull(type, "type");
    return this;
  }

  public List<String> getEndpoints() {
    return endpoints;
  }

  public RegistryOptions setEndpoints(List<String> endpoints) {
    List<String> trimmed = endpoints.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("registry.endpoints must name at least one endpoint");
    }
    this.endpoints = trimmed;
    return this;
  }

  public int getLeaseTtlSec() {
    return leaseTtlSec;
  }

  public RegistryOptions setLeaseTtlSec(int leaseTtlSec) {
    if (leaseTtlSec < 1) {
      throw new IllegalArgumentException("registry.leaseTtlSec must be >= 1, but was " + leaseTtlSec);
    }
    this.leaseTtlSec = leaseTtlSec;
    return this;
  }

  public long getRelistMs() {
    return relistMs;
  }

  public RegistryOptions setRelistMs(long relistMs) {
    if (relistMs < 100) {
      throw new IllegalArgumentException("registry.relistMs must be >= 100, but was " + relistMs);
    }
    this.relistMs = relistMs;
    return this;
  }

  public long getConfigRelistMs() {
    return configRelistMs;
  }

  public RegistryOptions setConfigRelistMs(long configRelistMs) {
    if (configRelistMs < 100) {
      throw new IllegalArgumentException("registry.configRelistMs must be >= 100, but was " + configRelistMs);
    }
    this.configRelistMs = configRelistMs;
    return this;
  }
}
