package io.weft.service.impl;

/**
 * The result of one {@link Invocation}, sent back to its host over the event bus (also for
 * one-way calls, whose end frees their place under the instance's concurrency limit).
 *
 * @param reply encoded MessagePack, {@code null} on failure
 * @param startedNanos when the host let the call start
 * @param meters where the host counts the call; {@code null} for calls it does not count (persistent calls)
 */
public record Outcome(long linkId, long grid, int code, String error, byte[] reply, long startedNanos,
                      MethodMeters meters) {
}
