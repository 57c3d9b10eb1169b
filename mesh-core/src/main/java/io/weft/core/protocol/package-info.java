/**
 * The envelope layer of the wire protocol (PROTOCOL.md sections 3 to 6): one
 * {@link io.weft.core.protocol.Envelope} record per message name, and the
 * {@link io.weft.core.protocol.EnvelopeCodec} that reads and writes them with msgpack-core.
 * Business payloads ({@code InnerRpc}, {@code Reply}) stay opaque bytes at this layer.
 */
package io.weft.core.protocol;
