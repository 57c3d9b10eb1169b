package io.weft.core.conn;

import io.weft.core.protocol.Envelope;

/**
 * Where the answers to a peer go: a {@link MeshConnection}, or another way back to the caller
 * (the gate's HTTP gateway answers each request with its own response).
 */
@FunctionalInterface
public interface EnvelopeSink {

  /** Sends one envelope to the peer; dropped when the peer is gone. Call it on the peer's event loop. */
  void send(Envelope envelope);
}
