package io.weft.service;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The methods a {@link MeshService} serves, collected by its {@link MeshService#configure}. */
public final class Rpcs {

  private final Map<String, MethodSpec> methods = new LinkedHashMap<>();
  private final java.util.List<ServiceInterceptor> interceptors = new java.util.ArrayList<>();
  private final Map<String, SubscriptionSpec<?>> subscriptions = new LinkedHashMap<>();

  /**
   * Declares {@code method}: its args are decoded as {@code argsType} and passed to
   * {@code handler}.
   *
   * @throws IllegalArgumentException when the method is declared twice
   */
  public <A, R> MethodSpec on(String method, Class<A> argsType, RpcHandler<A, R> handler) {
    if (method == null || method.isEmpty()) {
      throw new IllegalArgumentException("method name must not be empty");
    }
    MethodSpec spec = new MethodSpec(method, argsType, handler);
    if (methods.putIfAbsent(method, spec) != null) {
      throw new IllegalArgumentException("method " + method + " is declared twice");
    }
    return spec;
  }

  /**
   * Subscribes the service to {@code topic}: each event published there is decoded as
   * {@code eventType} and handled by {@code handler} on one of the service's instances, at least
   * once. The service needs Redis ({@code events.redis}) to start.
   *
   * @throws IllegalArgumentException when the topic is not a valid name, or subscribed twice
   */
  public <E> SubscriptionSpec<E> subscribe(String topic, Class<E> eventType, EventHandler<E> handler) {
    SubscriptionSpec<E> spec = new SubscriptionSpec<>(topic, eventType, handler);
    if (subscriptions.putIfAbsent(topic, spec) != null) {
      throw new IllegalArgumentException("topic " + topic + " is subscribed twice");
    }
    return spec;
  }

  /** The subscriptions declared, by topic. */
  public Map<String, SubscriptionSpec<?>> subscriptions() {
    return Collections.unmodifiableMap(subscriptions);
  }

  /** Adds a link around every method's handler (see {@link ServiceInterceptor}). */
  public Rpcs intercept(ServiceInterceptor interceptor) {
    interceptors.add(java.util.Objects.requireNonNull(interceptor, "interceptor"));
    return this;
  }

  /** The links declared, in order. */
  public java.util.List<ServiceInterceptor> interceptors() {
    return java.util.Collections.unmodifiableList(interceptors);
  }

  public MethodSpec get(String method) {
    return methods.get(method);
  }

  public Map<String, MethodSpec> all() {
    return Collections.unmodifiableMap(methods);
  }
}
