package io.weft.service.impl;

/**
 * The result of one {@link Invocation}, sent back to its host over the event bus.
 *
 * @param reply encoded MessagePack, {@code null} on failure
 */
public record Outcome(long linkId, long grid, int code, String error, byte[] reply) {
}
