package io.weft.service.impl;

import io.vertx.core.Handler;
import io.vertx.core.internal.ContextInternal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands a host's calls to its business verticles, and their outcomes back, each run on the
 * receiver's own context: the isolation the event bus gave, without its envelope (a message,
 * headers, a delivery context and an inbound queue per hop, twice per call). Receivers register
 * under an address; an address with several (a verticle deployed as many instances) gets them in
 * turn. What is handed to the same receiver runs in the order it was handed.
 * <p>
 * One per host, shared with the verticles it deploys; registering and handing off are safe from
 * any thread.
 */
public final class HandOff {

  private final Map<String, Receivers> byAddress = new ConcurrentHashMap<>();

  /** A receiver, until {@link #unregister}ed. */
  public record Receiver(String address, ContextInternal context, Handler<Object> handler) {
  }

  private static final class Receivers {
    final List<Receiver> list = new CopyOnWriteArrayList<>();
    final AtomicInteger next = new AtomicInteger();
  }

  /** Runs {@code handler} on {@code context} for what is handed to {@code address}. */
  @SuppressWarnings("unchecked")
  public <T> Receiver register(String address, ContextInternal context, Handler<T> handler) {
    Receiver receiver = new Receiver(address, context, (Handler<Object>) handler);
    byAddress.computeIfAbsent(address, a -> new Receivers()).list.add(receiver);
    return receiver;
  }

  public void unregister(Receiver receiver) {
    if (receiver != null) {
      Receivers receivers = byAddress.get(receiver.address());
      if (receivers != null) {
        receivers.list.remove(receiver);
      }
    }
  }

  /**
   * Hands {@code item} to a receiver of {@code address}, to run on its context after the current
   * task.
   *
   * @return false when the address has no receiver (its verticles are stopping or gone)
   */
  public boolean send(String address, Object item) {
    Receivers receivers = byAddress.get(address);
    if (receivers == null) {
      return false;
    }
    List<Receiver> list = receivers.list;
    int size = list.size();
    if (size == 0) {
      return false;
    }
    Receiver receiver;
    try {
      receiver = size == 1 ? list.get(0) : list.get(Math.floorMod(receivers.next.getAndIncrement(), size));
    } catch (IndexOutOfBoundsException e) {
      // One left between size() and get(): take whoever is still there.
      return send(address, item);
    }
    ContextInternal context = receiver.context();
    context.executor().execute(() -> context.dispatch(item, receiver.handler()));
    return true;
  }
}
