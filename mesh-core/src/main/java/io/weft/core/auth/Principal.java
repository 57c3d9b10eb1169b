package io.weft.core.auth;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Who a connection authenticated as.
 *
 * @param subject   the client's identity, as the token issuer vouches for it
 * @param label     the {@code Client} label for logs and per-source limits: the label bound in the
 *                  token when it has one, else the label the client sent in {@code MSG_C2G_AUTH},
 *                  else the subject. A bound label wins because the client cannot change it: a
 *                  label the client picks itself could take another source's name to spend that
 *                  source's limits, or change on every connection to escape its own. Never null.
 * @param expiresAt when the token stops being accepted (clock skew aside); {@code null} when the
 *                  scheme has no expiry
 * @param keyId     the key that signed the token; {@code null} when the scheme has none
 * @param claims    every claim the token carried, the ones above included, for schemes and access
 *                  rules that need more (roles, tenant); unmodifiable
 */
public record Principal(String subject, String label, Instant expiresAt, String keyId, Map<String, Object> claims) {

  public Principal {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(label, "label");
    // Claims may hold JSON nulls, which Map.copyOf refuses.
    claims = claims == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(claims));
  }

  /** The label when the token binds none: the one sent, when there is one, else the subject. */
  public static String resolveLabel(String boundLabel, String sentLabel, String subject) {
    if (boundLabel != null) {
      return boundLabel;
    }
    return sentLabel != null && !sentLabel.isEmpty() ? sentLabel : subject;
  }
}
