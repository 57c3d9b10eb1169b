/**
 * Connections between Weft peers: {@link io.weft.core.conn.MeshConnection} turns a Vert.x socket
 * into a stream of {@link io.weft.core.protocol.Envelope}s with heartbeats, frame limits,
 * flush consolidation and a bounded outbound backlog; {@link io.weft.core.conn.ConnectionOptions}
 * holds its limits.
 */
package io.weft.core.conn;
