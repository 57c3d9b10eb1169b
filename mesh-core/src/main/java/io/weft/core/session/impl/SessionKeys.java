package io.weft.core.session.impl;

import io.weft.core.session.Session;

/** The Redis layout of a binding (PROTOCOL.md section 9): hash {@code weft:session:<ClientId>} = {gate, conn, at}. */
public final class SessionKeys {

  public static final String PREFIX = "weft:session:";
  public static final String GATE = "gate";
  public static final String CONN = "conn";
  public static final String AT = "at";

  /** As in the scripts' check: 18 digits always fit a long. */
  private static final int MAX_AT_DIGITS = 18;

  private SessionKeys() {
  }

  public static String key(String clientId) {
    return PREFIX + clientId;
  }

  /**
   * The binding the stored fields describe, or null when they do not describe one (a field
   * missing or empty, a login time that is not a plain number): someone else's or a damaged
   * entry must read as "not logged in", never as an error.
   */
  public static Session parse(String clientId, String gate, String conn, String at) {
    if (clientId == null || clientId.isEmpty() || gate == null || gate.isEmpty() || conn == null || conn.isEmpty()
        || !isPlainNumber(at)) {
      return null;
    }
    return new Session(clientId, gate, conn, Long.parseLong(at));
  }

  private static boolean isPlainNumber(String s) {
    if (s == null || s.isEmpty() || s.length() > MAX_AT_DIGITS) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
