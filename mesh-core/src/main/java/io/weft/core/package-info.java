/**
 * The vocabulary shared by every Weft module: wire status {@link io.weft.core.Code codes} and the
 * {@link io.weft.core.MeshException} that carries one. Each concern of the mesh lives in its own
 * sub-package (framing, envelope protocol, business codec, connections, callbacks, balancers,
 * discovery, client SDK).
 */
package io.weft.core;
