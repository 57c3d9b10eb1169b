package io.weft.core.codec;

/**
 * A business call as it travels inside {@code InnerRpc}: the method name and the still-encoded
 * args (PROTOCOL.md section 3). {@code argsOffset}/{@code argsLength} locate the args value
 * inside {@code bytes}, so reading the method name never copies the args.
 */
public record InnerRpc(String method, byte[] bytes, int argsOffset, int argsLength) {
}
