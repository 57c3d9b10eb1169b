package io.weft.core.lb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A mutable endpoint for balancer tests. */
public final class TestEndpoint implements Endpoint {

  private final String id;
  public int weight = 1;
  public Map<String, String> tags = Map.of();
  public int active;
  public double latencyNanos;

  public TestEndpoint(String id) {
    this.id = id;
  }

  public TestEndpoint(String id, int weight) {
    this(id);
    this.weight = weight;
  }

  /** Endpoints named {@code prefix0 .. prefix(n-1)}, in a mutable list. */
  public static List<TestEndpoint> named(String prefix, int n) {
    List<TestEndpoint> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(new TestEndpoint(prefix + i));
    }
    return list;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public int weight() {
    return weight;
  }

  @Override
  public Map<String, String> tags() {
    return tags;
  }

  @Override
  public int activeCalls() {
    return active;
  }

  @Override
  public double latencyEwmaNanos() {
    return latencyNanos;
  }

  @Override
  public String toString() {
    return id;
  }
}
