package io.weft.core.session;

/**
 * Where one logged-in client id is connected: the gate's id (its advertised {@code host:port})
 * and the connection there, whose id embeds the gate's boot id, so a connection of a gate that
 * restarted on the same address never matches one of the new gate. {@code at} is the login time
 * (epoch milliseconds).
 */
public record Session(String clientId, String gate, String conn, long at) {

  public Session {
    requireText(clientId, "clientId");
    requireText(gate, "gate");
    requireText(conn, "conn");
    if (at < 0) {
      throw new IllegalArgumentException("session.at must be >= 0, but was " + at);
    }
  }

  /** A session logged in now. */
  public static Session now(String clientId, String gate, String conn) {
    return new Session(clientId, gate, conn, System.currentTimeMillis());
  }

  static String requireText(String value, String name) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("session." + name + " must not be empty, but was "
          + (value == null ? "null" : "''"));
    }
    return value;
  }
}
