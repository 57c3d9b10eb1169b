package io.weft.service.impl;

import io.weft.core.trace.CallSpan;

/**
 * The result of one {@link Invocation}, sent back to its host through the {@link HandOff} (also for
 * one-way calls, whose end frees their place under the instance's concurrency limit).
 *
 * @param reply encoded MessagePack, {@code null} on failure
 * @param startedNanos when the host let the call start
 * @param method the method called, for the log line of the call
 * @param trace the call's {@code Trace} as the handler saw it
 * @param span the instance's span of the call, to end; {@code null} when it records none
 * @param meters where the host counts the call; {@code null} for calls it does not count (persistent calls)
 */
public record Outcome(long linkId, long grid, int code, String error, byte[] reply, long startedNanos, String method,
                      String trace, CallSpan span, MethodMeters meters) {
}
