/**
 * The gate's internals: service links and pools, the service directory, the router and its filters
 * (access, degradation, rate limits), client sessions and logins, and what the instances of one
 * gate share (the token verifier, connection counts, the IP allowlist's check).
 */
package io.weft.gate.impl;
