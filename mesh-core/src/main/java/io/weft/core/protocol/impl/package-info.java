/** Adapters between msgpack-core and Netty buffers used by the envelope codec. */
package io.weft.core.protocol.impl;
