package io.weft.core.discovery.impl;

import io.vertx.core.Handler;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the changes an {@link EtcdWatch} of a config prefix reports into the snapshots of a
 * {@link io.weft.core.discovery.ServiceRegistry#watchConfig config watch}: the whole set, keys
 * relative to {@code /weft/config/}, once after the first listing and once after each batch of
 * changes.
 */
public final class ConfigSnapshots implements EtcdWatch.Listener {

  private static final Logger log = LoggerFactory.getLogger(ConfigSnapshots.class);

  private final String root;
  private final Handler<Map<String, String>> handler;
  private final TreeMap<String, String> current = new TreeMap<>();
  /** Whether the handler has not seen the current set yet; true at first, so that an empty start is told too. */
  private boolean changed = true;

  /** @param root the etcd key the snapshot's keys are relative to, {@code /weft/config/} */
  public ConfigSnapshots(String root, Handler<Map<String, String>> handler) {
    this.root = root;
    this.handler = handler;
  }

  @Override
  public void put(String key, String value) {
    current.put(relative(key), value);
    changed = true;
  }

  @Override
  public void deleted(String key) {
    current.remove(relative(key));
    changed = true;
  }

  @Override
  public void settled() {
    if (!changed) {
      return;
    }
    changed = false;
    Map<String, String> snapshot = Collections.unmodifiableMap(new TreeMap<>(current));
    try {
      handler.handle(snapshot);
    } catch (RuntimeException e) {
      log.error("Config watch handler failed on " + snapshot, e);
    }
  }

  private String relative(String key) {
    return key.startsWith(root) ? key.substring(root.length()) : key;
  }
}
