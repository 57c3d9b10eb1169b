package io.weft.core.discovery.impl;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.weft.core.discovery.ServiceEvent;
import io.weft.core.discovery.ServiceInstance;
import io.weft.core.discovery.ServiceWatch;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A watch of {@code /weft/services/} whose handler is told every change exactly once, in order,
 * whatever happens to etcd.
 * <p>
 * The unit of work is a sync: stop the current etcd watch, list the prefix, tell the handler how
 * the listing differs from what it was told so far (UP for new or changed instances, DOWN for the
 * ones gone), then watch from the revision after the listing, so that nothing between the two is
 * lost. A sync runs at the start, after a failed watch (etcd down, compaction, cancellation; with
 * backoff), and every {@code relistMs}: that one reconciles whatever a watch may have missed, and is
 * how an etcd restarted with its data wiped is caught, since its revisions start over and a watch
 * from the old revision would wait silently for numbers the new history has not reached.
 * <p>
 * Everything runs on the context that created the watch; jetcd's callbacks hop to it. Each etcd
 * watch carries the generation it was started in, so late events of a stopped one are dropped.
 */
public final class EtcdWatch implements ServiceWatch {

  private static final Logger log = LoggerFactory.getLogger(EtcdWatch.class);
  private static final ByteSequence PREFIX = EtcdKeys.bytes(EtcdKeys.SERVICES);

  private final Context context;
  private final EtcdClient etcd;
  private final long relistMs;
  private final Handler<ServiceEvent> handler;
  private final Consumer<EtcdWatch> onClose;
  private final Backoff backoff = new Backoff(100, 5_000);
  /** What the handler was told: key -> instance. */
  private final Map<String, ServiceInstance> known = new HashMap<>();
  /** Keys whose malformed value was already logged, so that each relist does not log it again. */
  private final Set<String> skipped = new HashSet<>();

  private long generation;
  private Watch.Watcher watcher;
  private long timer = -1;
  private boolean closed;

  private EtcdWatch(Context context, EtcdClient etcd, long relistMs, Handler<ServiceEvent> handler,
                    Consumer<EtcdWatch> onClose) {
    this.context = context;
    this.etcd = etcd;
    this.relistMs = relistMs;
    this.handler = handler;
    this.onClose = onClose;
  }

  /**
   * Starts a watch whose handler runs on {@code context}. The future completes once the handler has
   * been told every instance registered now, and fails if that first listing does.
   */
  public static Future<EtcdWatch> start(Context context, EtcdClient etcd, long relistMs, Handler<ServiceEvent> handler,
                                        Consumer<EtcdWatch> onClose) {
    EtcdWatch watch = new EtcdWatch(context, etcd, relistMs, handler, onClose);
    Promise<EtcdWatch> started = Promise.promise();
    context.runOnContext(v -> watch.sync().onComplete(ar -> {
      if (ar.succeeded()) {
        watch.schedule(relistMs, watch::relist);
        started.complete(watch);
      } else {
        watch.stop();
        started.fail(ar.cause());
      }
    }));
    return started.future();
  }

  @Override
  public Future<Void> close() {
    if (Vertx.currentContext() == context) {
      stop();
      return Future.succeededFuture();
    }
    Promise<Void> closed = Promise.promise();
    context.runOnContext(v -> {
      stop();
      closed.complete();
    });
    return closed.future();
  }

  private void stop() {
    if (!closed) {
      closed = true;
      generation++;
      context.owner().cancelTimer(timer);
      stopWatcher();
      onClose.accept(this);
    }
  }

  private Future<Void> sync() {
    long gen = ++generation;
    stopWatcher();
    GetOption all = GetOption.builder().isPrefix(true).build();
    return etcd.call(context, client -> client.getKVClient().get(PREFIX, all)).compose(listing -> {
      if (closed || gen != generation) {
        return Future.succeededFuture();
      }
      reconcile(listing.getKvs());
      startWatcher(gen, listing.getHeader().getRevision() + 1);
      return Future.succeededFuture();
    });
  }

  /** A sync from a timer or after a failure: one that fails is tried again, later and later. */
  private void resync() {
    sync().onComplete(ar -> {
      if (closed) {
        return;
      }
      if (ar.succeeded()) {
        schedule(relistMs, this::relist);
      } else {
        long delay = backoff.next();
        log.warn("Listing " + EtcdKeys.SERVICES + " failed (" + ar.cause().getMessage() + "); retrying in "
            + delay + " ms");
        schedule(delay, this::resync);
      }
    });
  }

  /** The periodic sync. A watch that held for a whole period earns its next failure a short backoff again. */
  private void relist() {
    backoff.reset();
    resync();
  }

  private void startWatcher(long gen, long revision) {
    WatchOption option = WatchOption.builder().isPrefix(true).withRevision(revision).build();
    watcher = etcd.get().getWatchClient().watch(PREFIX, option, Watch.listener(
        response -> context.runOnContext(v -> apply(gen, response)),
        error -> context.runOnContext(v -> watchFailed(gen, String.valueOf(error.getMessage()))),
        () -> context.runOnContext(v -> watchFailed(gen, "the watch ended"))));
  }

  private void stopWatcher() {
    if (watcher != null) {
      watcher.close();
      watcher = null;
    }
  }

  private void watchFailed(long gen, String why) {
    if (closed || gen != generation) {
      return;
    }
    // jetcd would resume the watch by itself, but not across a compaction or a wiped etcd: a sync
    // covers every case the same way.
    generation++;
    stopWatcher();
    long delay = backoff.next();
    log.warn("Watch of " + EtcdKeys.SERVICES + " failed (" + why + "); listing again in " + delay + " ms");
    schedule(delay, this::resync);
  }

  private void apply(long gen, WatchResponse response) {
    for (WatchEvent event : response.getEvents()) {
      if (closed || gen != generation) {
        return;
      }
      String key = EtcdKeys.string(event.getKeyValue().getKey());
      switch (event.getEventType()) {
        case PUT -> put(key, EtcdKeys.string(event.getKeyValue().getValue()));
        case DELETE -> {
          skipped.remove(key);
          remove(key);
        }
        default -> {
        }
      }
    }
  }

  private void reconcile(List<KeyValue> listing) {
    Map<String, String> listed = new LinkedHashMap<>();
    listing.forEach(kv -> listed.put(EtcdKeys.string(kv.getKey()), EtcdKeys.string(kv.getValue())));
    List.copyOf(known.keySet()).stream().filter(key -> !listed.containsKey(key)).forEach(this::remove);
    skipped.retainAll(listed.keySet());
    listed.forEach(this::put);
  }

  private void put(String key, String value) {
    ServiceInstance instance;
    try {
      instance = EtcdKeys.parseService(key, value);
    } catch (IllegalArgumentException e) {
      if (skipped.add(key)) {
        log.warn("Ignoring " + key + ": " + e.getMessage());
      }
      // The key no longer holds a usable instance, whatever it held before.
      remove(key);
      return;
    }
    skipped.remove(key);
    if (!instance.equals(known.put(key, instance))) {
      emit(ServiceEvent.up(instance));
    }
  }

  private void remove(String key) {
    ServiceInstance gone = known.remove(key);
    if (gone != null) {
      emit(ServiceEvent.down(gone));
    }
  }

  private void emit(ServiceEvent event) {
    if (closed) {
      return;
    }
    try {
      handler.handle(event);
    } catch (RuntimeException e) {
      log.error("Service watch handler failed on " + event, e);
    }
  }

  private void schedule(long delayMs, Runnable task) {
    context.owner().cancelTimer(timer);
    timer = context.owner().setTimer(delayMs, id -> {
      timer = -1;
      task.run();
    });
  }
}
