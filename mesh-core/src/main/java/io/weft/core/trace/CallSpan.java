package io.weft.core.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;

/**
 * One span a role records for a call (the gate's route, a service's handling, an s2s call, a
 * push, an event's publish or handling): what it forwards as the next hop's {@code Trace}, and
 * its end with the call's outcome. Made only when {@link MeshTracing#enabled()}. End it once,
 * from any thread.
 */
public final class CallSpan {

  private final Span span;
  private String traceparent;

  CallSpan(Span span) {
    this.span = span;
  }

  /** The {@code traceparent} naming this span as the parent: the {@code Trace} of the calls it makes. */
  public String traceparent() {
    String t = traceparent;
    if (t == null) {
      SpanContext context = span.getSpanContext();
      t = TraceParent.of(context.getTraceId(), context.getSpanId(), context.getTraceFlags().asHex());
      traceparent = t;
    }
    return t;
  }

  public CallSpan set(AttributeKey<String> key, String value) {
    if (value != null) {
      span.setAttribute(key, value);
    }
    return this;
  }

  public CallSpan set(AttributeKey<Long> key, long value) {
    span.setAttribute(key, value);
    return this;
  }

  public CallSpan set(AttributeKey<Boolean> key, boolean value) {
    span.setAttribute(key, value);
    return this;
  }

  /** Ends the span with the call's outcome: its wire code, and its error when it is not 0. */
  public void end(int code, String error) {
    span.setAttribute(MeshTracing.CODE, code);
    if (code != 0) {
      span.setStatus(StatusCode.ERROR, error == null ? "code " + code : error);
    }
    span.end();
  }

  /** The OpenTelemetry span, for what this class does not cover (events, links). */
  public Span span() {
    return span;
  }
}
