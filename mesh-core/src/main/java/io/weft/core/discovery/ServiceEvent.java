package io.weft.core.discovery;

/** A change in the set of registered instances, as seen by a watcher. */
public record ServiceEvent(Kind kind, ServiceInstance instance) {

  public enum Kind {
    /** The instance appeared, or its registration changed (same id, new value). */
    UP,
    /** The instance left: deregistered, or its lease expired. */
    DOWN
  }

  public static ServiceEvent up(ServiceInstance instance) {
    return new ServiceEvent(Kind.UP, instance);
  }

  public static ServiceEvent down(ServiceInstance instance) {
    return new ServiceEvent(Kind.DOWN, instance);
  }
}
