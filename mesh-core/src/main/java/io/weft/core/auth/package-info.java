/**
 * Authentication of clients at an external gate: a {@link io.weft.core.auth.TokenVerifier} turns
 * the token of {@code MSG_C2G_AUTH} into a {@link io.weft.core.auth.Principal} or a failure with
 * code 16. {@link io.weft.core.auth.HmacTokens}, HMAC-SHA256 signed tokens with key rotation,
 * expiry and replay refusal, is the scheme built in, configured by
 * {@link io.weft.core.auth.AuthOptions}; other schemes (JWT, an auth service) implement the same
 * interface.
 */
package io.weft.core.auth;
