package io.weft.launcher.impl;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.weft.core.trace.MeshTracing;
import io.weft.launcher.TracingOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry SDK behind {@link MeshTracing} when a config has a {@code tracing} section: a
 * tracer provider per role, whose resource names the role as {@code service.name} (so that a
 * trace shows {@code weft-gate} calling {@code demo/echo}), each exporting its spans in batches
 * with OTLP over HTTP/protobuf (the JDK's HttpClient sends them).
 */
public final class OtlpTracers implements MeshTracing.Tracers, AutoCloseable {

  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> SERVICE_NAMESPACE = AttributeKey.stringKey("service.namespace");

  private final TracingOptions options;
  private final Map<String, SdkTracerProvider> providers = new ConcurrentHashMap<>();

  public OtlpTracers(TracingOptions options) {
    this.options = options;
  }

  @Override
  public Tracer tracer(String role) {
    return providers.computeIfAbsent(role, this::provider).get(MeshTracing.SCOPE);
  }

  private SdkTracerProvider provider(String role) {
    OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(options.getEndpoint())
        .setTimeout(Duration.ofMillis(options.getTimeoutMs()));
    options.getHeaders().forEach(exporter::addHeader);
    Resource resource = Resource.getDefault().merge(Resource.create(
        Attributes.of(SERVICE_NAME, role, SERVICE_NAMESPACE, "weft")));
    return SdkTracerProvider.builder()
        .setResource(resource)
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(options.getSampleRatio())))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter.build())
            .setScheduleDelay(Duration.ofMillis(options.getScheduleDelayMs()))
            .setMaxQueueSize(options.getMaxQueueSize())
            .setExporterTimeout(Duration.ofMillis(options.getTimeoutMs()))
            .build())
        .build();
  }

  /** Exports what is still queued, then stops; waits up to the export timeout. */
  @Override
  public void close() {
    List<CompletableResultCode> shutdowns = new ArrayList<>();
    providers.values().forEach(p -> shutdowns.add(p.shutdown()));
    CompletableResultCode.ofAll(shutdowns).join(options.getTimeoutMs(), TimeUnit.MILLISECONDS);
  }
}
