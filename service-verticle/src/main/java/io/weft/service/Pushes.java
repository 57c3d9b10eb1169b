package io.weft.service;

import java.util.List;

/**
 * The push service's call contract (PROTOCOL.md section 8), shared by the push service and the
 * services that push: args and replies of {@code Push}, {@code PushMany}, {@code Reply},
 * {@code Restore} and the gate's {@code Kick}.
 */
public final class Pushes {

  /** The push service's name in its namespace. */
  public static final String SERVICE = "push";
  /** The namespace services push through unless configured otherwise. */
  public static final String DEFAULT_NAMESPACE = "weft";

  private Pushes() {
  }

  /** {@code Push}: one client id; {@code innerRpc} is the pushed call, {@code [method, args]}. */
  public record Push(String clientId, byte[] innerRpc, boolean safe) {
  }

  /** The answer to {@code Push}: the safe push's id ("" for unsafe), and whether a gate took it. */
  public record PushResult(String pushId, boolean delivered) {
  }

  /** {@code PushMany}: the same call to many client ids. */
  public record PushMany(List<String> clientIds, byte[] innerRpc, boolean safe) {
  }

  /** The answer to {@code PushMany}: how many were handed to gates, how many stored (safe). */
  public record PushManyResult(int delivered, int stored) {
  }

  /** {@code Reply}: a client acknowledged a safe push. */
  public record Reply(String clientId, String pushId) {
  }

  /** {@code Restore}: send a client id's unacknowledged safe pushes again, oldest first. */
  public record Restore(String clientId) {
  }

  /** The answer to {@code Restore}. */
  public record Restored(int restored) {
  }

  /** {@code Kick}: tell the connection {@code connId} of {@code gate} that {@code clientId} logged in elsewhere. */
  public record Kick(String clientId, String gate, String connId) {
  }
}
