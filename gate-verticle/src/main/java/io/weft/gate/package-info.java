/**
 * The gate: {@link io.weft.gate.GateVerticle} accepts client connections, finds service instances
 * in the registry and routes calls to them; {@link io.weft.gate.GateOptions} configures it. An
 * external gate authenticates its clients and lets them call only public methods; every gate
 * applies connection limits, an IP allowlist and TLS as configured (docs/SECURITY.md).
 */
package io.weft.gate;
