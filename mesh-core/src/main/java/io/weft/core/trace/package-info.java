/**
 * Traces of calls. Every call carries a W3C {@code traceparent} as its {@code Trace}
 * ({@link io.weft.core.trace.TraceParent}): a gate starts one when a client sends none or a
 * malformed one, services pass theirs on to the calls, pushes and events they make. When
 * OpenTelemetry is installed ({@link io.weft.core.trace.MeshTracing}), each role also records a
 * span per call ({@link io.weft.core.trace.CallSpan}) and forwards it as the parent of the next
 * hop; otherwise no OpenTelemetry code runs. {@link io.weft.core.trace.CallLogger} logs lines
 * about a call with its trace id.
 */
package io.weft.core.trace;
