package io.weft.service;

import io.vertx.core.ThreadingModel;
import io.vertx.core.json.JsonObject;
import io.weft.core.conn.ConnectionOptions;
import io.weft.core.conn.TlsOptions;
import io.weft.core.discovery.RegistryOptions;
import io.weft.core.events.EventsOptions;
import io.weft.core.governance.ConcurrencyOptions;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One service instance: what it serves, where it listens and registers, and how its business
 * verticles run. Read from a role's JSON config:
 * <pre>{@code
 * {"class": "io.weft.examples.echo.EchoService", "namespace": "demo", "name": "echo",
 *  "host": "127.0.0.1", "port": 0, "handlers": 1, "orderedWorkers": 4, "threading": "event-loop",
 *  "callTimeoutMs": 10000, "drainTimeoutMs": 20000}
 * }</pre>
 */
public class ServiceOptions {

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 0;
  public static final int DEFAULT_WEIGHT = 1;
  public static final int DEFAULT_HANDLERS = 1;
  public static final int DEFAULT_ORDERED_WORKERS = 4;
  public static final ThreadingModel DEFAULT_THREADING = ThreadingModel.EVENT_LOOP;
  public static final long DEFAULT_CALL_TIMEOUT_MS = 10_000;
  /** Within Kubernetes' default 30 s termination grace period, with room to deregister and exit. */
  public static final long DEFAULT_DRAIN_TIMEOUT_MS = 20_000;

  private String serviceClass;
  private String namespace;
  private String name;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String advertiseHost;
  private int weight = DEFAULT_WEIGHT;
  private Map<String, String> tags = Map.of();
  private String version = "";
  private int handlers = DEFAULT_HANDLERS;
  private int orderedWorkers = DEFAULT_ORDERED_WORKERS;
  private ThreadingModel threading = DEFAULT_THREADING;
  private long callTimeoutMs = DEFAULT_CALL_TIMEOUT_MS;
  private ConnectionOptions connection = new ConnectionOptions();
  private TlsOptions tls;
  private RegistryOptions registry = new RegistryOptions();
  private JsonObject config = new JsonObject();
  private ConcurrencyOptions concurrency = ConcurrencyOptions.DEFAULT;
  private String pushNamespace = Pushes.DEFAULT_NAMESPACE;
  private EventsOptions events = new EventsOptions();
  private long drainTimeoutMs = DEFAULT_DRAIN_TIMEOUT_MS;

  public ServiceOptions() {
  }

  public ServiceOptions(ServiceOptions other) {
    this(other.toJson());
  }

  public ServiceOptions(JsonObject json) {
    serviceClass = json.getString("class");
    setNamespace(json.getString("namespace"));
    setName(json.getString("name"));
    setHost(json.getString("host", DEFAULT_HOST));
    setPort(json.getInteger("port", DEFAULT_PORT));
    setAdvertiseHost(json.getString("advertiseHost"));
    setWeight(json.getInteger("weight", DEFAULT_WEIGHT));
    Map<String, String> t = new HashMap<>();
    json.getJsonObject("tags", new JsonObject()).forEach(e -> t.put(e.getKey(), String.valueOf(e.getValue())));
    setTags(t);
    setVersion(json.getString("version", ""));
    setHandlers(json.getInteger("handlers", DEFAULT_HANDLERS));
    setOrderedWorkers(json.getInteger("orderedWorkers", DEFAULT_ORDERED_WORKERS));
    setThreading(parseThreading(json.getString("threading", "event-loop")));
    setCallTimeoutMs(json.getLong("callTimeoutMs", DEFAULT_CALL_TIMEOUT_MS));
    setConnection(new ConnectionOptions(json.getJsonObject("connection", new JsonObject())));
    setTls(TlsOptions.fromJson(json.getValue("tls"), "tls"));
    setRegistry(new RegistryOptions(json.getJsonObject("registry", new JsonObject())));
    setConfig(json.getJsonObject("config", new JsonObject()));
    setConcurrency(ConcurrencyOptions.fromJson(json.getJsonObject("concurrency")));
    setPushNamespace(json.getString("pushNamespace", Pushes.DEFAULT_NAMESPACE));
    setEvents(new EventsOptions(json.getJsonObject("events", new JsonObject())));
    setDrainTimeoutMs(json.getLong("drainTimeoutMs", DEFAULT_DRAIN_TIMEOUT_MS));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("namespace", namespace)
        .put("name", name)
        .put("host", host)
        .put("port", port)
        .put("weight", weight)
        .put("tags", new JsonObject(new HashMap<>(tags)))
        .put("version", version)
        .put("handlers", handlers)
        .put("orderedWorkers", orderedWorkers)
        .put("threading", threading.name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .put("callTimeoutMs", callTimeoutMs)
        .put("connection", connection.toJson())
        .put("tls", tls == null ? null : tls.toJson())
        .put("registry", registry.toJson())
        .put("config", config.copy())
        .put("concurrency", concurrency.toJson())
        .put("pushNamespace", pushNamespace)
        .put("events", events.toJson())
        .put("drainTimeoutMs", drainTimeoutMs);
    if (serviceClass != null) {
      json.put("class", serviceClass);
    }
    if (advertiseHost != null) {
      json.put("advertiseHost", advertiseHost);
    }
    return json;
  }

  private static ThreadingModel parseThreading(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "event-loop", "event_loop", "eventloop" -> ThreadingModel.EVENT_LOOP;
      case "virtual-thread", "virtual_thread", "virtual" -> ThreadingModel.VIRTUAL_THREAD;
      case "worker" -> ThreadingModel.WORKER;
      default -> throw new IllegalArgumentException(
          "threading must be 'event-loop', 'virtual-thread' or 'worker', but was '" + name + "'");
    };
  }

  public String getServiceClass() {
    return serviceClass;
  }

  /** The {@link MeshService} subclass to run, by class name (when deployed from config). */
  public ServiceOptions setServiceClass(String serviceClass) {
    this.serviceClass = serviceClass;
    return this;
  }

  public String getNamespace() {
    return namespace;
  }

  public ServiceOptions setNamespace(String namespace) {
    this.namespace = requireName("namespace", namespace);
    return this;
  }

  public String getName() {
    return name;
  }

  public ServiceOptions setName(String name) {
    this.name = requireName("name", name);
    return this;
  }

  private static String requireName(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(key + " must be set");
    }
    if (value.contains("/") || !value.equals(value.trim())) {
      throw new IllegalArgumentException(key + " must not contain '/' or surrounding blanks, but was '" + value + "'");
    }
    return value;
  }

  public String getHost() {
    return host;
  }

  /** The address the service listens on for gates. */
  public ServiceOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  /** The listening port; 0 picks a free one. */
  public ServiceOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, but was " + port);
    }
    this.port = port;
    return this;
  }

  public String getAdvertiseHost() {
    return advertiseHost;
  }

  /**
   * The host gates dial, as registered. Defaults to {@code host}, or to this machine's address
   * when {@code host} is a wildcard; never {@code 0.0.0.0}.
   */
  public ServiceOptions setAdvertiseHost(String advertiseHost) {
    if (advertiseHost != null && (advertiseHost.equals("0.0.0.0") || advertiseHost.equals("::"))) {
      throw new IllegalArgumentException("advertiseHost must be an address others can reach, but was " + advertiseHost);
    }
    this.advertiseHost = advertiseHost == null || advertiseHost.isBlank() ? null : advertiseHost;
    return this;
  }

  public int getWeight() {
    return weight;
  }

  public ServiceOptions setWeight(int weight) {
    if (weight < 1) {
      throw new IllegalArgumentException("weight must be >= 1, but was " + weight);
    }
    this.weight = weight;
    return this;
  }

  public Map<String, String> getTags() {
    return tags;
  }

  public ServiceOptions setTags(Map<String, String> tags) {
    this.tags = Map.copyOf(tags);
    return this;
  }

  public String getVersion() {
    return version;
  }

  public ServiceOptions setVersion(String version) {
    this.version = version == null ? "" : version;
    return this;
  }

  public int getHandlers() {
    return handlers;
  }

  /** Business verticle instances taking unordered calls. */
  public ServiceOptions setHandlers(int handlers) {
    if (handlers < 1) {
      throw new IllegalArgumentException("handlers must be >= 1, but was " + handlers);
    }
    this.handlers = handlers;
    return this;
  }

  public int getOrderedWorkers() {
    return orderedWorkers;
  }

  /** Verticles taking ordered calls, each one call at a time, chosen by the hash of the key. */
  public ServiceOptions setOrderedWorkers(int orderedWorkers) {
    if (orderedWorkers < 1) {
      throw new IllegalArgumentException("orderedWorkers must be >= 1, but was " + orderedWorkers);
    }
    this.orderedWorkers = orderedWorkers;
    return this;
  }

  public ThreadingModel getThreading() {
    return threading;
  }

  /** How business verticles run; {@code VIRTUAL_THREAD} lets handlers block on calls they make. */
  public ServiceOptions setThreading(ThreadingModel threading) {
    this.threading = java.util.Objects.requireNonNull(threading, "threading");
    return this;
  }

  public long getCallTimeoutMs() {
    return callTimeoutMs;
  }

  /**
   * The budget of a call this service makes to another ({@link ServiceCalls}) when its
   * {@code CallOptions} set none. A call made while handling another never gets more than that
   * call has left, whatever this says.
   */
  public ServiceOptions setCallTimeoutMs(long callTimeoutMs) {
    if (callTimeoutMs < 1) {
      throw new IllegalArgumentException("callTimeoutMs must be >= 1, but was " + callTimeoutMs);
    }
    this.callTimeoutMs = callTimeoutMs;
    return this;
  }

  public ConnectionOptions getConnection() {
    return connection;
  }

  public ServiceOptions setConnection(ConnectionOptions connection) {
    this.connection = java.util.Objects.requireNonNull(connection, "connection");
    return this;
  }

  public TlsOptions getTls() {
    return tls;
  }

  /**
   * TLS on the port gates dial ({@code certFile}/{@code keyFile}; {@code caFile} to require gates'
   * client certificates); {@code null}, the default, listens in plain TCP.
   */
  public ServiceOptions setTls(TlsOptions tls) {
    if (tls != null) {
      tls.checkServer("tls");
    }
    this.tls = tls == null ? null : new TlsOptions(tls);
    return this;
  }

  public RegistryOptions getRegistry() {
    return registry;
  }

  public ServiceOptions setRegistry(RegistryOptions registry) {
    this.registry = java.util.Objects.requireNonNull(registry, "registry");
    return this;
  }

  public String getPushNamespace() {
    return pushNamespace;
  }

  /** The namespace of the push service {@code ctx.push(...)} goes through ({@code weft} by default). */
  public ServiceOptions setPushNamespace(String pushNamespace) {
    this.pushNamespace = requireName("pushNamespace", pushNamespace);
    return this;
  }

  public ConcurrencyOptions getConcurrency() {
    return concurrency;
  }

  /**
   * How many calls the instance runs at once and how many may wait: beyond both, calls are
   * refused with 8 (backpressure with bounded memory); optionally adaptive.
   */
  public ServiceOptions setConcurrency(ConcurrencyOptions concurrency) {
    this.concurrency = java.util.Objects.requireNonNull(concurrency, "concurrency");
    return this;
  }

  public EventsOptions getEvents() {
    return events;
  }

  /**
   * Events and persistent calls: the Redis they live in ({@code events.redis}; none by default,
   * and then publishing fails with 14 and a service that subscribes to anything does not start)
   * and how they are delivered.
   */
  public ServiceOptions setEvents(EventsOptions events) {
    this.events = java.util.Objects.requireNonNull(events, "events");
    return this;
  }

  public long getDrainTimeoutMs() {
    return drainTimeoutMs;
  }

  /**
   * How long a draining instance ({@link ServiceHost#drain()}, on SIGTERM under {@code weft run})
   * waits for its calls in flight to finish before it closes its gate connections anyway; 0 closes
   * them at once. A call still running then is answered by the gate as lost (14).
   */
  public ServiceOptions setDrainTimeoutMs(long drainTimeoutMs) {
    if (drainTimeoutMs < 0) {
      throw new IllegalArgumentException("drainTimeoutMs must be >= 0, but was " + drainTimeoutMs);
    }
    this.drainTimeoutMs = drainTimeoutMs;
    return this;
  }

  public JsonObject getConfig() {
    return config;
  }

  /** The service's own settings, given to its verticles as their {@code config()}. */
  public ServiceOptions setConfig(JsonObject config) {
    this.config = config == null ? new JsonObject() : config;
    return this;
  }
}
