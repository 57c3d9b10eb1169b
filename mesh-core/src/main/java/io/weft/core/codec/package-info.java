/**
 * The business layer of the protocol: {@link io.weft.core.codec.ArgsCodec} maps args and replies
 * (records, POJOs, maps) to MessagePack with Jackson and splits {@code InnerRpc} into method and
 * args; {@link io.weft.core.codec.RawValue} carries a value without mapping it.
 */
package io.weft.core.codec;
