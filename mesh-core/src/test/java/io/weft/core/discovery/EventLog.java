package io.weft.core.discovery;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A watch handler that records the events of one namespace, and the contexts they ran on. */
final class EventLog implements Handler<ServiceEvent> {

  private final String namespace;
  final List<ServiceEvent> events = new CopyOnWriteArrayList<>();
  final Set<Context> contexts = ConcurrentHashMap.newKeySet();

  EventLog(String namespace) {
    this.namespace = namespace;
  }

  @Override
  public void handle(ServiceEvent event) {
    contexts.add(Vertx.currentContext());
    if (event.instance().namespace().equals(namespace)) {
      events.add(event);
    }
  }

  /** What a watcher believes is registered, after replaying the events: {@code service/id} -> instance. */
  Map<String, ServiceInstance> view() {
    Map<String, ServiceInstance> view = new TreeMap<>();
    for (ServiceEvent e : events) {
      String key = e.instance().service() + "/" + e.instance().id();
      if (e.kind() == ServiceEvent.Kind.UP) {
        view.put(key, e.instance());
      } else {
        view.remove(key);
      }
    }
    return view;
  }
}
