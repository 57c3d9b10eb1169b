/** The gate's internals: service links and pools, the service directory, and the router. */
package io.weft.gate.impl;
