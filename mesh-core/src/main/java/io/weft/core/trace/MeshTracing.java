package io.weft.core.trace;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.Objects;

/**
 * Whether a role records spans, and how it starts them. Roles (gates, service hosts) look theirs
 * up when they start with {@link #forRole}: {@link #OFF} unless something installed a source of
 * tracers on their Vert.x instance with {@link #install} (the launcher does, when the config has
 * a {@code tracing} section; an application embedding Weft may install its own OpenTelemetry).
 * <p>
 * Off, a role makes no OpenTelemetry call at all: it checks {@link #enabled()} and only carries the
 * {@code Trace} strings along ({@link TraceParent}).
 */
public final class MeshTracing {

  /** Records nothing. */
  public static final MeshTracing OFF = new MeshTracing(null);

  /** The instrumentation scope of Weft's spans. */
  public static final String SCOPE = "io.weft";

  public static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  public static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  public static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
  /** The call's wire code (PROTOCOL.md section 4). */
  public static final AttributeKey<Long> CODE = AttributeKey.longKey("weft.code");
  /** The instance ({@code host:port}) that took the call: the chosen one at a gate, the own one at a service. */
  public static final AttributeKey<String> INSTANCE = AttributeKey.stringKey("weft.instance");
  public static final AttributeKey<String> GATE = AttributeKey.stringKey("weft.gate");
  /** The caller's {@code Client} label. */
  public static final AttributeKey<String> CALLER = AttributeKey.stringKey("weft.caller");
  public static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("weft.attempts");
  public static final AttributeKey<Boolean> DELIVERED = AttributeKey.booleanKey("weft.delivered");
  public static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
  public static final AttributeKey<String> MESSAGING_DESTINATION = AttributeKey.stringKey("messaging.destination.name");
  public static final AttributeKey<String> MESSAGING_MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
  public static final AttributeKey<String> MESSAGING_GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
  public static final AttributeKey<Long> MESSAGING_DELIVERY = AttributeKey.longKey("messaging.redis.delivery_count");

  private static final String INSTALLED = "weft.tracing";
  private static final String KEY = "tracers";

  private final Tracer tracer;

  private MeshTracing(Tracer tracer) {
    this.tracer = tracer;
  }

  /** Records spans with {@code tracer}; {@link #OFF} when it is {@code null}. */
  public static MeshTracing of(Tracer tracer) {
    return tracer == null ? OFF : new MeshTracing(tracer);
  }

  public boolean enabled() {
    return tracer != null;
  }

  /**
   * Starts a span: a child of {@code parent} when that is a valid {@code traceparent}, else the
   * root of a new trace (a malformed parent is never a reason to fail anything).
   */
  public CallSpan start(String name, SpanKind kind, String parent, Attributes attributes) {
    SpanBuilder builder = tracer.spanBuilder(name).setSpanKind(kind);
    Context context = remoteParent(parent);
    if (context == null) {
      builder.setNoParent();
    } else {
      builder.setParent(context);
    }
    if (attributes != null) {
      builder.setAllAttributes(attributes);
    }
    return new CallSpan(builder.startSpan());
  }

  /** The context of a remote span named by a valid {@code traceparent}, else {@code null}. */
  static Context remoteParent(String traceparent) {
    if (!TraceParent.isValid(traceparent)) {
      return null;
    }
    SpanContext parent = SpanContext.createFromRemoteParent(traceparent.substring(3, 35),
        traceparent.substring(36, 52), TraceFlags.fromHex(traceparent, 53), TraceState.getDefault());
    return Context.root().with(Span.wrap(parent));
  }

  // ---------------------------------------------------------------- installation

  /**
   * Where roles get their tracers: one per role, named as OpenTelemetry's {@code service.name}
   * should show it ({@code weft-gate}, {@code <namespace>/<service>}).
   */
  @FunctionalInterface
  public interface Tracers {
    Tracer tracer(String role);
  }

  /** Makes the roles started on {@code vertx} from now on record spans with {@code tracers}. */
  public static void install(Vertx vertx, Tracers tracers) {
    Objects.requireNonNull(tracers, "tracers");
    map(vertx).put(KEY, new Installed(tracers));
  }

  /** The same, every role with one OpenTelemetry (whose resource names the process). */
  public static void install(Vertx vertx, OpenTelemetry openTelemetry) {
    Objects.requireNonNull(openTelemetry, "openTelemetry");
    Tracer tracer = openTelemetry.getTracer(SCOPE);
    install(vertx, role -> tracer);
  }

  /** Roles started from now on record nothing. */
  public static void uninstall(Vertx vertx) {
    map(vertx).remove(KEY);
  }

  /** What a role starting on {@code vertx} records with: {@link #OFF} when nothing is installed. */
  public static MeshTracing forRole(Vertx vertx, String role) {
    Installed installed = (Installed) map(vertx).get(KEY);
    return installed == null ? OFF : of(installed.tracers().tracer(role));
  }

  private static LocalMap<String, Object> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(INSTALLED);
  }

  private record Installed(Tracers tracers) implements Shareable {
  }
}
