package io.weft.core.lb;

import io.weft.core.lb.impl.ConsistentHashBalancer;
import io.weft.core.lb.impl.LeastActiveBalancer;
import io.weft.core.lb.impl.P2cBalancer;
import io.weft.core.lb.impl.RandomBalancer;
import io.weft.core.lb.impl.RoundRobinBalancer;
import io.weft.core.lb.impl.WeightedRandomBalancer;
import io.weft.core.lb.impl.WeightedRoundRobinBalancer;
import java.util.Arrays;
import java.util.Locale;

/**
 * The balancing strategies, by the name used in config. {@link #fromConfig} also accepts the
 * constant's name ({@code "LEAST_ACTIVE"}); {@link #DEFAULT} is {@link #P2C}.
 *
 * <table>
 * <caption>Strategies</caption>
 * <tr><th>config name</th><th>picks</th><th>weights</th></tr>
 * <tr><td>{@code random}</td><td>uniformly at random</td><td>ignored</td></tr>
 * <tr><td>{@code round-robin}</td><td>each instance in turn</td><td>ignored</td></tr>
 * <tr><td>{@code weighted-round-robin}</td><td>in turn, interleaved by weight (nginx's smooth
 *     weighted round robin: {5,1,1} gives a a b a c a a)</td><td>exact shares</td></tr>
 * <tr><td>{@code weighted-random}</td><td>at random, in proportion to weight</td><td>expected
 *     shares</td></tr>
 * <tr><td>{@code consistent-hash}</td><td>by the call's {@code HashKey} on a ring of virtual nodes:
 *     a key stays on its instance while the set is stable, and only the departed instance's keys
 *     move when one leaves; round robin for calls without a key</td><td>more ring points</td></tr>
 * <tr><td>{@code least-active}</td><td>the instance with the fewest calls in flight, ties in
 *     turn</td><td>ignored</td></tr>
 * <tr><td>{@code p2c}</td><td>the cheaper of two random instances, cost = latency EWMA x (calls in
 *     flight + 1) / weight</td><td>divide the cost</td></tr>
 * </table>
 */
public enum LoadBalancerType {
  RANDOM("random"),
  ROUND_ROBIN("round-robin"),
  WEIGHTED_ROUND_ROBIN("weighted-round-robin"),
  WEIGHTED_RANDOM("weighted-random"),
  CONSISTENT_HASH("consistent-hash"),
  LEAST_ACTIVE("least-active"),
  P2C("p2c");

  /**
   * The strategy to use when config names none: {@link #P2C}. It steers calls away from slow or
   * busy instances as soon as their latency or backlog shows, costs O(1) per call, and, by
   * choosing between two random instances rather than taking the single best one, keeps many gates
   * (and event loops) from all piling onto the same instance at once.
   */
  public static final LoadBalancerType DEFAULT = P2C;

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
      case WEIGHTED_ROUND_ROBIN -> new WeightedRoundRobinBalancer();
      case WEIGHTED_RANDOM -> new WeightedRandomBalancer();
      case CONSISTENT_HASH -> new ConsistentHashBalancer();
      case LEAST_ACTIVE -> new LeastActiveBalancer();
      case P2C -> new P2cBalancer();
    };
  }

  /**
   * The type named {@code name} in config: its config name or constant name, in any case.
   *
   * @throws IllegalArgumentException naming the value and the known names
   */
  public static LoadBalancerType fromConfig(String name) {
    if (name != null) {
      String normalized = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
      for (LoadBalancerType t : values()) {
        if (t.configName.equals(normalized)) {
          return t;
        }
      }
    }
    throw new IllegalArgumentException("unknown load balancer '" + name + "'; known: "
        + Arrays.stream(values()).map(LoadBalancerType::configName).toList());
  }
}
