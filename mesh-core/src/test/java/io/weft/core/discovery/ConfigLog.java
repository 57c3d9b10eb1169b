package io.weft.core.discovery;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A config watch handler that records every snapshot it is given, and the contexts it ran on. */
final class ConfigLog implements Handler<Map<String, String>> {

  final List<Map<String, String>> snapshots = new CopyOnWriteArrayList<>();
  final Set<Context> contexts = ConcurrentHashMap.newKeySet();

  @Override
  public void handle(Map<String, String> snapshot) {
    contexts.add(Vertx.currentContext());
    snapshots.add(snapshot);
  }

  /** The latest snapshot, or null before the first. */
  Map<String, String> last() {
    return snapshots.isEmpty() ? null : snapshots.get(snapshots.size() - 1);
  }
}
