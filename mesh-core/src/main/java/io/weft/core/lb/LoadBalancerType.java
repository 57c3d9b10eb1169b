package io.weft.core.lb;

import io.weft.core.lb.impl.RandomBalancer;
import io.weft.core.lb.impl.RoundRobinBalancer;
import java.util.Locale;

/** The balancing strategies, by the name used in config ({@code "random"}, {@code "round-robin"}). */
public enum LoadBalancerType {
  RANDOM("random"),
  ROUND_ROBIN("round-robin");

  private final String configName;

  LoadBalancerType(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /** A new balancer of this type (each holds its own state, such as a round-robin position). */
  public LoadBalancer create() {
    return switch (this) {
      case RANDOM -> new RandomBalancer();
      case ROUND_ROBIN -> new RoundRobinBalancer();
    };
  }

  /** The type named {@code name} in config. */
  public static LoadBalancerType fromConfig(String name) {
    String normalized = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (LoadBalancerType t : values()) {
      if (t.configName.equals(normalized)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown load balancer '" + name + "'; known: " + java.util.Arrays.stream(values())
        .map(LoadBalancerType::configName).toList());
  }
}
