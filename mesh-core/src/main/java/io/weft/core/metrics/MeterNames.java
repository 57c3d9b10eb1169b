package io.weft.core.metrics;

/**
 * The names of the mesh's meters, as Micrometer writes them; Prometheus shows them with
 * underscores and its suffixes ({@code weft.gate.routes} is {@code weft_gate_routes_total},
 * {@code weft.gate.call.duration} is {@code weft_gate_call_duration_seconds_bucket}, ...).
 * docs/OPERATIONS.md lists them with their tags.
 */
public final class MeterNames {

  /** Tag values standing for a name a caller sent that the mesh does not know (bounded cardinality). */
  public static final String UNKNOWN = "(unknown)";

  // Gates: tag gate = the gate's id (host:port).
  public static final String GATE_CLIENT_REQUESTS = "weft.gate.client.requests";
  public static final String GATE_ROUTES = "weft.gate.routes";
  public static final String GATE_CALLS = "weft.gate.calls";
  public static final String GATE_CALL_DURATION = "weft.gate.call.duration";
  public static final String GATE_IN_FLIGHT = "weft.gate.calls.inflight";
  public static final String GATE_RETRIES = "weft.gate.retries";
  public static final String GATE_CONNECTIONS = "weft.gate.connections";
  public static final String GATE_INSTANCES = "weft.gate.instances";
  public static final String GATE_BREAKERS = "weft.gate.breakers";
  public static final String GATE_SOURCE_CALLS = "weft.gate.source.calls";
  public static final String GATE_PUSHES = "weft.gate.pushes";
  public static final String GATE_SECURITY = "weft.gate.security";

  // Service instances: tags service = namespace/name, instance = host:port.
  public static final String SERVICE_CALLS = "weft.service.calls";
  public static final String SERVICE_CALL_DURATION = "weft.service.call.duration";
  public static final String SERVICE_RUNNING = "weft.service.calls.running";
  public static final String SERVICE_WAITING = "weft.service.calls.waiting";
  public static final String SERVICE_GATES = "weft.service.gates";

  // The push service: tags service, instance.
  public static final String PUSH_PUSHES = "weft.push.pushes";
  public static final String PUSH_ACKS = "weft.push.acks";
  public static final String PUSH_RESTORED = "weft.push.restored";

  // Events, per service instance (tags service, instance) and per consumer (stream, group too).
  public static final String EVENTS_PUBLISHED = "weft.events.published";
  public static final String EVENTS_PERSISTENT_CALLS = "weft.events.persistent.calls";
  public static final String EVENTS_DELIVERED = "weft.events.delivered";
  public static final String EVENTS_HANDLED = "weft.events.handled";
  public static final String EVENTS_FAILED = "weft.events.failed";
  public static final String EVENTS_REDELIVERED = "weft.events.redelivered";
  public static final String EVENTS_DEAD_LETTERED = "weft.events.dead.lettered";
  public static final String EVENTS_SKIPPED = "weft.events.skipped";
  public static final String EVENTS_IN_FLIGHT = "weft.events.inflight";
  public static final String EVENTS_PENDING = "weft.events.pending";
  public static final String EVENTS_LAG = "weft.events.lag";
  public static final String EVENTS_DEAD_LETTERS = "weft.events.dead.letters";

  private MeterNames() {
  }
}
