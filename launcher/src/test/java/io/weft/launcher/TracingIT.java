package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.weft.core.client.CallOptions;
import io.weft.core.client.MeshClient;
import io.weft.core.client.MeshClientOptions;
import io.weft.core.codec.RawValue;
import io.weft.core.trace.TraceParent;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Calls carry a W3C {@code traceparent} through gate and services; with a {@code tracing} section
 * each hop's span reaches a real OTLP/HTTP receiver (this test's, decoding the protobuf).
 */
@ExtendWith(VertxExtension.class)
class TracingIT {

  private static final String CLIENT_TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  /** A span as exported, with the {@code service.name} of the role that recorded it. */
  record Exported(String service, String name, Span.SpanKind kind, String traceId, String spanId, String parentId) {
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static JsonObject mesh(int gatePort) {
    return new JsonObject()
        .put("registry", new JsonObject().put("type", "local"))
        .put("gates", new JsonArray().add(new JsonObject().put("mode", "internal").put("host", "127.0.0.1")
            .put("port", gatePort)))
        .put("services", new JsonArray().add(new JsonObject().put("class", TracedService.class.getName())
            .put("namespace", "t").put("name", "traced").put("host", "127.0.0.1")));
  }

  private static MeshClient start(Vertx vertx, JsonObject conf, int gatePort) throws Exception {
    vertx.deployVerticle(MeshVerticle.class.getName(), new DeploymentOptions().setConfig(conf)).await(20, TimeUnit.SECONDS);
    return MeshClient.connect(vertx, new MeshClientOptions().setPort(gatePort)).await(10, TimeUnit.SECONDS);
  }

  private static TracedService.Seen call(MeshClient client, String method, String trace) throws Exception {
    CallOptions options = trace == null ? CallOptions.DEFAULT : CallOptions.DEFAULT.withTrace(trace);
    return client.call("t", "traced", method, RawValue.of(new byte[] {(byte) 0x80}), TracedService.Seen.class, options)
        .await(10, TimeUnit.SECONDS);
  }

  @Test
  void withoutTracingTheGateStartsATraceKeepsAValidOneAndReplacesAMalformedOne(Vertx vertx) throws Exception {
    int port = freePort();
    MeshClient client = start(vertx, mesh(port), port);

    String started = call(client, "Trace", null).trace();
    assertThat(TraceParent.isValid(started)).as(started).isTrue();
    assertThat(TraceParent.sampled(started)).isTrue();
    assertThat(call(client, "Trace", null).trace()).as("a new trace per call").isNotEqualTo(started);

    assertThat(call(client, "Trace", CLIENT_TRACE).trace()).as("the client's own, untouched").isEqualTo(CLIENT_TRACE);

    for (String malformed : List.of("not-a-trace", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "x".repeat(5000))) {
      String replaced = call(client, "Trace", malformed).trace();
      assertThat(TraceParent.isValid(replaced)).as(malformed).isTrue();
      assertThat(replaced).isNotEqualTo(malformed);
    }

    TracedService.Seen relayed = call(client, "Relay", CLIENT_TRACE);
    assertThat(relayed.trace()).isEqualTo(CLIENT_TRACE);
    assertThat(relayed.inner()).as("an s2s call carries its parent's trace on").isEqualTo(CLIENT_TRACE);
  }

  @Test
  void oneCallExportsTheSpansOfGateServiceAndS2sCallAsOneTrace(Vertx vertx) throws Exception {
    List<Exported> spans = new CopyOnWriteArrayList<>();
    HttpServer receiver = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      try {
        if (request.path().equals("/v1/traces")) {
          spans.addAll(decode(ExportTraceServiceRequest.parseFrom(body.getBytes())));
        }
        request.response().putHeader("content-type", "application/x-protobuf").end();
      } catch (Exception e) {
        request.response().setStatusCode(400).end();
      }
    })).listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
    int port = freePort();
    JsonObject conf = mesh(port).put("tracing", new JsonObject()
        .put("endpoint", "http://127.0.0.1:" + receiver.actualPort() + "/v1/traces").put("scheduleDelayMs", 50));
    MeshClient client = start(vertx, conf, port);

    TracedService.Seen seen = call(client, "Relay", CLIENT_TRACE);

    assertThat(TraceParent.traceId(seen.trace())).as("the client's trace goes on").isEqualTo(TRACE_ID);
    assertThat(seen.trace()).as("the service's own span is the parent of what it does").isNotEqualTo(CLIENT_TRACE);
    await().atMost(Duration.ofSeconds(10)).until(() -> spans.size() >= 5);
    assertThat(spans).allSatisfy(s -> assertThat(s.traceId()).isEqualTo(TRACE_ID));

    Exported route = one(spans, "weft-gate", "route t/traced.Relay");
    assertThat(route.kind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(route.parentId()).as("a child of the client's span").isEqualTo("00f067aa0ba902b7");
    Exported handled = one(spans, "t/traced", "t/traced.Relay");
    assertThat(handled.kind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(handled.parentId()).isEqualTo(route.spanId());
    assertThat(seen.trace()).isEqualTo("00-" + TRACE_ID + "-" + handled.spanId() + "-01");
    Exported s2s = one(spans, "t/traced", "call t/traced.Trace");
    assertThat(s2s.kind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(s2s.parentId()).isEqualTo(handled.spanId());
    Exported innerRoute = one(spans, "weft-gate", "route t/traced.Trace");
    assertThat(innerRoute.parentId()).isEqualTo(s2s.spanId());
    Exported innerHandled = one(spans, "t/traced", "t/traced.Trace");
    assertThat(innerHandled.parentId()).isEqualTo(innerRoute.spanId());
    assertThat(seen.inner()).isEqualTo("00-" + TRACE_ID + "-" + innerHandled.spanId() + "-01");
  }

  private static Exported one(List<Exported> spans, String service, String name) {
    List<Exported> named = spans.stream().filter(s -> s.service().equals(service) && s.name().equals(name)).toList();
    assertThat(named).as(service + " " + name + " in " + spans).hasSize(1);
    return named.get(0);
  }

  private static List<Exported> decode(ExportTraceServiceRequest request) {
    HexFormat hex = HexFormat.of();
    List<Exported> out = new CopyOnWriteArrayList<>();
    for (ResourceSpans resource : request.getResourceSpansList()) {
      String service = resource.getResource().getAttributesList().stream()
          .filter(a -> a.getKey().equals("service.name")).findFirst()
          .map(KeyValue::getValue).map(v -> v.getStringValue()).orElse("?");
      for (ScopeSpans scope : resource.getScopeSpansList()) {
        for (Span span : scope.getSpansList()) {
          out.add(new Exported(service, span.getName(), span.getKind(), hex.formatHex(span.getTraceId().toByteArray()),
              hex.formatHex(span.getSpanId().toByteArray()), Optional.of(span.getParentSpanId())
              .filter(b -> !b.isEmpty()).map(ByteString::toByteArray).map(hex::formatHex).orElse("")));
        }
      }
    }
    return out;
  }
}
