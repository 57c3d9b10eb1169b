/**
 * The parts behind {@link io.weft.core.auth.HmacTokens}: the bounded, thread-safe
 * {@link io.weft.core.auth.impl.ReplayCache} of nonces already used, the decoding of configured
 * {@link io.weft.core.auth.impl.Secrets secrets}, and the {@link io.weft.core.auth.impl.TokenChars
 * character rules} that keep token parts and labels safe to parse and to log.
 */
package io.weft.core.auth.impl;
