package io.weft.core.discovery.impl;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A watch of one etcd prefix whose {@link Listener} is told every change under it exactly once,
 * in order, whatever happens to etcd. The watch keeps a mirror of the prefix (key to value) and
 * tells the listener how it changes; {@link ServiceEvents} and {@link ConfigSnapshots} turn that
 * into what the registry's watchers want.
 * <p>
 * The unit of work is a sync: stop the current etcd watch, list the prefix, tell the listener how
 * the listing differs from the mirror (a put for each new or changed key, a delete for each one
 * gone), then watch from the revision after the listing, so that nothing between the two is lost.
 * A sync runs at the start, and after a failed watch (etcd down, compaction, cancellation; with
 * backoff).
 * <p>
 * Every {@code relistMs} the prefix is listed again, to catch whatever a watch may have missed;
 * notably an etcd restarted with its data wiped, whose revisions start over, so that a watch from
 * the old revision would wait silently for numbers the new history has not reached. A listing
 * equal to the mirror, at a revision not behind the latest one seen, shows the mirror is current:
 * the etcd watch is left running, and a period costs one read. Any other listing (a change the
 * watch has not told, a revision gone backwards) starts a sync.
 * <p>
 * Everything runs on the context that created the watch; jetcd's callbacks hop to it. Each etcd
 * watch carries the generation it was started in, so late events of a stopped one are dropped.
 */
public final class EtcdWatch {

  /** What a watch tells its user, on the watch's context. Its methods must not throw. */
  public interface Listener {

    /** {@code key} (a full etcd key) appeared holding {@code value}, or its value changed to it. */
    void put(String key, String value);

    /** {@code key} is gone. */
    void deleted(String key);

    /**
     * The changes of one listing or one etcd watch response have all been told: the mirror is
     * what etcd held at one revision. Called after the first listing even if it found nothing.
     */
    default void settled() {
    }
  }

  private static final Logger log = LoggerFactory.getLogger(EtcdWatch.class);

  private final Context context;
  private final EtcdClient etcd;
  private final String prefixName;
  private final ByteSequence prefix;
  private final long relistMs;
  private final Listener listener;
  private final Consumer<EtcdWatch> onClose;
  private final Backoff backoff = new Backoff(100, 5_000);
  /** What the listener was told: key -> value. */
  private final Map<String, String> mirror = new HashMap<>();

  private long generation;
  /** The latest etcd revision the mirror is known to reflect: of the last listing or watch response. */
  private long revision;
  private Watch.Watcher watcher;
  private long timer = -1;
  private boolean closed;

  private EtcdWatch(Context context, EtcdClient etcd, String prefix, long relistMs, Listener listener,
                    Consumer<EtcdWatch> onClose) {
    this.context = context;
    this.etcd = etcd;
    this.prefixName = prefix;
    this.prefix = EtcdKeys.bytes(prefix);
    this.relistMs = relistMs;
    this.listener = listener;
    this.onClose = onClose;
  }

  /**
   * Starts a watch of the keys under {@code prefix} whose listener runs on {@code context}. The
   * future completes once the listener has been told every key there now (and has
   * {@link Listener#settled settled}), and fails if that first listing does.
   *
   * @param onClose called once the watch is closed (also when its start fails)
   */
  public static Future<EtcdWatch> start(Context context, EtcdClient etcd, String prefix, long relistMs,
                                        Listener listener, Consumer<EtcdWatch> onClose) {
    EtcdWatch watch = new EtcdWatch(context, etcd, prefix, relistMs, listener, onClose);
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

  /** Stops the watch: the listener is told nothing more. */
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

  private Future<GetResponse> list() {
    GetOption all = GetOption.builder().isPrefix(true).build();
    return etcd.call(context, client -> client.getKVClient().get(prefix, all));
  }

  private Future<Void> sync() {
    long gen = ++generation;
    stopWatcher();
    return list().compose(listing -> {
      if (closed || gen != generation) {
        return Future.succeededFuture();
      }
      reconcile(listing.getKvs());
      revision = listing.getHeader().getRevision();
      settle();
      if (!closed) {
        startWatcher(gen, revision + 1);
      }
      return Future.succeededFuture();
    });
  }

  /** A sync after a failure or a relist that found the mirror stale: one that fails is tried again, later and later. */
  private void resync() {
    sync().onComplete(ar -> {
      if (closed) {
        return;
      }
      if (ar.succeeded()) {
        schedule(relistMs, this::relist);
      } else {
        retryLater(ar.cause());
      }
    });
  }

  private void retryLater(Throwable failure) {
    long delay = backoff.next();
    log.warn("Listing " + prefixName + " failed (" + failure.getMessage() + "); retrying in " + delay + " ms");
    schedule(delay, this::resync);
  }

  /**
   * The periodic check: keeps the etcd watch if the listing shows the mirror current, syncs
   * otherwise. A watch that held for a whole period earns its next failure a short backoff again.
   */
  private void relist() {
    backoff.reset();
    long gen = generation;
    list().onComplete(ar -> {
      if (closed || gen != generation) {
        return; // the etcd watch failed meanwhile: its recovery has its own timer
      }
      if (ar.failed()) {
        retryLater(ar.cause());
      } else if (isCurrent(ar.result())) {
        revision = ar.result().getHeader().getRevision();
        schedule(relistMs, this::relist);
      } else {
        // A fresh listing, taken after the etcd watch is stopped, rather than this one: events the
        // watch delivered meanwhile may be newer than it.
        resync();
      }
    });
  }

  private boolean isCurrent(GetResponse listing) {
    if (watcher == null || listing.getHeader().getRevision() < revision || listing.getKvs().size() != mirror.size()) {
      return false;
    }
    for (KeyValue kv : listing.getKvs()) {
      if (!EtcdKeys.string(kv.getValue()).equals(mirror.get(EtcdKeys.string(kv.getKey())))) {
        return false;
      }
    }
    return true;
  }

  private void startWatcher(long gen, long fromRevision) {
    WatchOption option = WatchOption.builder().isPrefix(true).withRevision(fromRevision).build();
    watcher = etcd.get().getWatchClient().watch(prefix, option, Watch.listener(
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
    log.warn("Watch of " + prefixName + " failed (" + why + "); listing again in " + delay + " ms");
    schedule(delay, this::resync);
  }

  private void apply(long gen, WatchResponse response) {
    if (closed || gen != generation) {
      return;
    }
    for (WatchEvent event : response.getEvents()) {
      String key = EtcdKeys.string(event.getKeyValue().getKey());
      switch (event.getEventType()) {
        case PUT -> change(key, EtcdKeys.string(event.getKeyValue().getValue()));
        case DELETE -> change(key, null);
        default -> {
        }
      }
    }
    revision = Math.max(revision, response.getHeader().getRevision());
    settle();
  }

  private void reconcile(List<KeyValue> listing) {
    Map<String, String> listed = new LinkedHashMap<>();
    listing.forEach(kv -> listed.put(EtcdKeys.string(kv.getKey()), EtcdKeys.string(kv.getValue())));
    List.copyOf(mirror.keySet()).stream().filter(key -> !listed.containsKey(key)).forEach(key -> change(key, null));
    listed.forEach(this::change);
  }

  /** Records that {@code key} now holds {@code value} ({@code null}: deleted) and tells the listener if that is news. */
  private void change(String key, String value) {
    if (closed) {
      return;
    }
    if (value == null) {
      if (mirror.remove(key) != null) {
        listener.deleted(key);
      }
    } else if (!value.equals(mirror.put(key, value))) {
      listener.put(key, value);
    }
  }

  private void settle() {
    if (!closed) {
      listener.settled();
    }
  }

  private void schedule(long delayMs, Runnable task) {
    context.owner().cancelTimer(timer);
    if (closed) {
      return;
    }
    timer = context.owner().setTimer(delayMs, id -> {
      timer = -1;
      task.run();
    });
  }
}
