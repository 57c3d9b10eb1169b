package io.weft.push;

import io.vertx.core.json.JsonObject;
import io.weft.core.session.SessionOptions;
import io.weft.service.Pushes;
import io.weft.service.ServiceOptions;

/**
 * A push-service instance: the service settings every service has (namespace {@code weft} and
 * name {@code push} by default), where sessions are looked up, and where safe pushes are kept.
 * <pre>{@code
 * "push": {"namespace": "weft", "host": "127.0.0.1", "port": 0,
 *          "sessions": {"type": "redis", "connectionString": "redis://127.0.0.1:6379"},
 *          "store": {"embedded": true, "dataDir": "data/push"}, "restoreBatch": 500}
 * }</pre>
 */
public class PushOptions {

  public static final int DEFAULT_RESTORE_BATCH = 500;
  public static final int DEFAULT_MAX_RESTORE = 10_000;

  private ServiceOptions service = defaultService();
  private SessionOptions sessions = new SessionOptions();
  private SafePushOptions store = new SafePushOptions();
  private int restoreBatch = DEFAULT_RESTORE_BATCH;
  private int maxRestore = DEFAULT_MAX_RESTORE;

  public PushOptions() {
  }

  public PushOptions(PushOptions other) {
    this(other.toJson());
  }

  public PushOptions(JsonObject json) {
    JsonObject serviceJson = json.copy();
    serviceJson.remove("sessions");
    serviceJson.remove("store");
    serviceJson.remove("restoreBatch");
    serviceJson.remove("maxRestore");
    serviceJson.remove("class");
    if (!serviceJson.containsKey("namespace")) {
      serviceJson.put("namespace", Pushes.DEFAULT_NAMESPACE);
    }
    if (!serviceJson.containsKey("name")) {
      serviceJson.put("name", Pushes.SERVICE);
    }
    setService(new ServiceOptions(serviceJson));
    setSessions(new SessionOptions(json.getJsonObject("sessions", new JsonObject())));
    setStore(new SafePushOptions(json.getJsonObject("store", new JsonObject())));
    setRestoreBatch(json.getInteger("restoreBatch", DEFAULT_RESTORE_BATCH));
    setMaxRestore(json.getInteger("maxRestore", DEFAULT_MAX_RESTORE));
  }

  private static ServiceOptions defaultService() {
    return new ServiceOptions().setNamespace(Pushes.DEFAULT_NAMESPACE).setName(Pushes.SERVICE);
  }

  public JsonObject toJson() {
    return service.toJson()
        .put("sessions", sessions.toJson())
        .put("store", store.toJson())
        .put("restoreBatch", restoreBatch)
        .put("maxRestore", maxRestore);
  }

  public ServiceOptions getService() {
    return service;
  }

  public PushOptions setService(ServiceOptions service) {
    this.service = java.util.Objects.requireNonNull(service, "service");
    return this;
  }

  public SessionOptions getSessions() {
    return sessions;
  }

  /** The session directory gates write logins to; the push service reads it. */
  public PushOptions setSessions(SessionOptions sessions) {
    this.sessions = java.util.Objects.requireNonNull(sessions, "sessions");
    return this;
  }

  public SafePushOptions getStore() {
    return store;
  }

  public PushOptions setStore(SafePushOptions store) {
    this.store = java.util.Objects.requireNonNull(store, "store");
    return this;
  }

  public int getRestoreBatch() {
    return restoreBatch;
  }

  /** Safe pushes read from the store at a time while restoring. */
  public PushOptions setRestoreBatch(int restoreBatch) {
    if (restoreBatch < 1 || restoreBatch > 10_000) {
      throw new IllegalArgumentException("restoreBatch must be 1..10000, but was " + restoreBatch);
    }
    this.restoreBatch = restoreBatch;
    return this;
  }

  public int getMaxRestore() {
    return maxRestore;
  }

  /** The most safe pushes one restore sends; the rest wait for the next login. */
  public PushOptions setMaxRestore(int maxRestore) {
    if (maxRestore < 1) {
      throw new IllegalArgumentException("maxRestore must be >= 1, but was " + maxRestore);
    }
    this.maxRestore = maxRestore;
    return this;
  }
}
