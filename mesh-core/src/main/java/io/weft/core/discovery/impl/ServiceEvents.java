package io.weft.core.discovery.impl;

import io.vertx.core.Handler;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.weft.core.discovery.ServiceEvent;
import io.weft.core.discovery.ServiceInstance;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns the changes an {@link EtcdWatch} of {@code /weft/services/} reports into the
 * {@link ServiceEvent}s of a registry watch: UP for a new or changed instance, DOWN for one gone.
 * A key whose value is not an instance's is logged and counts as gone.
 */
public final class ServiceEvents implements EtcdWatch.Listener {

  private static final Logger log = LoggerFactory.getLogger(ServiceEvents.class);

  private final Handler<ServiceEvent> handler;
  /** What the handler was told: key -> instance. */
  private final Map<String, ServiceInstance> known = new HashMap<>();

  public ServiceEvents(Handler<ServiceEvent> handler) {
    this.handler = handler;
  }

  @Override
  public void put(String key, String value) {
    ServiceInstance instance;
    try {
      instance = EtcdKeys.parseService(key, value);
    } catch (IllegalArgumentException e) {
      log.warn("Ignoring " + key + ": " + e.getMessage());
      // The key no longer holds a usable instance, whatever it held before.
      deleted(key);
      return;
    }
    if (!instance.equals(known.put(key, instance))) {
      emit(ServiceEvent.up(instance));
    }
  }

  @Override
  public void deleted(String key) {
    ServiceInstance gone = known.remove(key);
    if (gone != null) {
      emit(ServiceEvent.down(gone));
    }
  }

  private void emit(ServiceEvent event) {
    try {
      handler.handle(event);
    } catch (RuntimeException e) {
      log.error("Service watch handler failed on " + event, e);
    }
  }
}
