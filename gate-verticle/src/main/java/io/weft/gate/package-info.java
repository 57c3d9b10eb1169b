/**
 * The gate: {@link io.weft.gate.GateVerticle} accepts client connections, finds service instances
 * in the registry and routes calls to them; {@link io.weft.gate.GateOptions} configures it.
 */
package io.weft.gate;
