/**
 * Length-prefixed framing of the TCP transport (PROTOCOL.md section 1): the Netty decoder that
 * cuts a byte stream into frame bodies, and the {@link io.weft.core.frame.FrameException} raised
 * for frames a peer must refuse.
 */
package io.weft.core.frame;
