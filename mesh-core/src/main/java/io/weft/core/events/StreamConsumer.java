package io.weft.core.events;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.redis.client.Redis;
import io.weft.core.events.impl.Replies;
import io.weft.core.trace.CallLogger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One consumer of a consumer group: it reads a stream's entries for its group, hands each to a
 * {@link Handler}, acknowledges it once handled, and gives it up to the group's dead-letter
 * stream after {@code maxAttempts} deliveries. Every subscription of every service instance runs
 * one (its group is the service, it is the instance), and so does each instance's persistent-call
 * stream.
 * <p>
 * <b>At least once.</b> An entry read ({@code XREADGROUP}) is pending for this consumer until
 * acknowledged ({@code XACK}) after its handler succeeded. While it holds entries, the consumer
 * renews them every third of the visibility timeout ({@code XCLAIM ... JUSTID}), so a slow handler
 * is not taken for a dead one; the entries of a consumer that stopped renewing them (killed,
 * frozen, cut off) are taken over by another consumer of the group once idle for the visibility
 * timeout ({@code XAUTOCLAIM}, run by every consumer on every tick), which counts a delivery.
 * A handler that fails is tried again after {@code retryDelayMs} on the same consumer (claiming
 * the entry again counts the delivery). An entry delivered {@code maxAttempts} times without
 * success, or failed with a {@link DeadLetterException}, is moved to the dead-letter stream and
 * acknowledged in one step.
 * <p>
 * <b>Ordered consumers</b> ({@link ConsumerSettings#ordered()}): a consumer group hands entries to
 * whichever consumer reads first, so two consumers could run two events of one key at once. An
 * ordered group is therefore read by one consumer at a time, the holder of a lease in Redis
 * ({@code <stream>:lease:<group>}, {@code SET NX PX} for the visibility timeout, renewed every
 * third of it); the others stand by and try to take it every tick. The holder spreads keys over
 * {@code lanes} by hash and handles each lane's entries one at a time, in stream order, a failed
 * one tried again in place before the next. A new holder first takes over everything pending in
 * the group, in stream order, and reads new entries only then; and it takes over nothing while
 * another consumer still renews an entry (it may still be handling it), so that the next entry
 * of a key never starts before the previous holder's is finished or abandoned. A holder that
 * could not renew its lease in time starts nothing more.
 * <p>
 * State is confined to the context given at creation; Redis answers hop back to it.
 *
 * @param <T> what {@link Handler#prepare} makes of an entry (a decoded event, a call)
 */
public final class StreamConsumer<T> {

  private static final Logger log = LoggerFactory.getLogger(StreamConsumer.class);
  /** Lines about one entry carry its trace. */
  private static final CallLogger entryLog = CallLogger.get(StreamConsumer.class);
  private static final long STATS_EVERY_MS = 5_000;
  private static final long FORGET_EVERY_MS = 600_000;
  private static final long FORGET_IDLE_MS = 3_600_000;
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** What a consumer does with its entries. */
  public interface Handler<T> {

    /**
     * Looks at an entry before it is queued (decodes it); anything it throws sends the entry to
     * the dead-letter stream at once, with the message as the reason.
     */
    T prepare(StreamEntry entry) throws Exception;

    /** The key of an entry for ordered consumers; {@code null} keys share one lane. Default: the {@code key} field. */
    default String orderKey(StreamEntry entry, T prepared) {
      return entry.key();
    }

    /** Handles one delivery; fail with {@link DeadLetterException} to give up at once. */
    Future<?> handle(Delivery<T> delivery);

    /** Acknowledges a handled entry; by default {@code XACK} ({@code XDEL} too with {@code deleteHandled}). */
    default Future<Void> acknowledge(EventStore store, String stream, String group, boolean delete, Delivery<T> delivery) {
      return store.ack(stream, group, delivery.entry().id(), delete);
    }
  }

  /**
   * One delivery of an entry.
   *
   * @param attempt its delivery count: 1 the first time, more on retries and takeovers
   * @param lane    the lane of an ordered consumer, -1 otherwise
   */
  public record Delivery<T>(StreamEntry entry, T prepared, int attempt, int lane) {
  }

  private final ContextInternal context;
  private final EventStore store;
  private final String stream;
  private final String group;
  private final String consumer;
  private final ConsumerSettings settings;
  private final Handler<T> handler;
  private final ConsumerStats stats;
  private final String leaseKey;
  private final String leaseToken;
  private final long tickMs;
  private final long visibilityNanos;

  private final Map<String, Held<T>> held = new LinkedHashMap<>();
  private final Lane<T>[] lanes;
  private Redis reader;
  private boolean started;
  private boolean stopping;
  private boolean reading;
  private boolean ticking;
  private long timerId = -1;
  private long ticks;
  private int readFailures;
  private String claimStart = "0-0";
  private String startId = "$";
  private boolean recreating;
  private boolean leaseHeld;
  private long leaseValidUntil;
  private boolean caughtUp;
  private Promise<Void> drained;
  private long lastWarn;

  /**
   * @param context  where the consumer runs (an event loop), for example its service host's
   * @param consumer this consumer's name in the group: the instance id
   */
  @SuppressWarnings("unchecked")
  public StreamConsumer(ContextInternal context, EventStore store, String stream, String group, String consumer,
                        ConsumerSettings settings, Handler<T> handler) {
    this.context = Objects.requireNonNull(context, "context");
    this.store = Objects.requireNonNull(store, "store");
    this.stream = Objects.requireNonNull(stream, "stream");
    this.group = Objects.requireNonNull(group, "group");
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.stats = new ConsumerStats(stream, group, consumer);
    this.leaseKey = EventKeys.lease(stream, group);
    this.leaseToken = consumer + "#" + UUID.randomUUID();
    this.tickMs = Math.max(10, settings.visibilityTimeoutMs() / 3);
    this.visibilityNanos = TimeUnit.MILLISECONDS.toNanos(settings.visibilityTimeoutMs());
    this.lanes = new Lane[settings.ordered() ? settings.lanes() : 0];
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] = new Lane<>();
    }
  }

  public ConsumerStats stats() {
    return stats;
  }

  public String stream() {
    return stream;
  }

  public String group() {
    return group;
  }

  /**
   * Creates the group if it does not exist (at {@code startId}: {@code $} or {@code 0}), then
   * starts consuming. Fails when the group cannot be created (Redis unreachable).
   */
  public Future<Void> start(String startId) {
    this.startId = startId;
    return here(store.createGroup(stream, group, startId)).compose(created -> {
      if (created) {
        log.info("Created group " + group + " on " + stream + " at " + startId);
      }
      begin();
      return Future.succeededFuture();
    });
  }

  private void begin() {
    if (started || stopping) {
      return;
    }
    started = true;
    reader = store.newReader();
    timerId = context.setPeriodic(tickMs, t -> tick());
    tick();
    readLoop();
  }

  /**
   * Stops: reads nothing more, gives up entries not started (another consumer takes them over
   * after the visibility timeout), waits up to {@code drainMs} for the handlers running, and
   * releases the lease of an ordered consumer.
   */
  public Future<Void> stop(long drainMs) {
    Promise<Void> done = context.promise();
    context.runOnContext(v -> {
      if (stopping) {
        done.complete();
        return;
      }
      stopping = true;
      if (!started) {
        done.complete();
        return;
      }
      reader.close();
      for (Held<T> h : new ArrayList<>(held.values())) {
        if (!h.running) {
          abandon(h);
        }
      }
      drained = context.promise();
      checkDrained();
      long deadline = context.setTimer(Math.max(1, drainMs), t -> drained.tryComplete());
      drained.future().onComplete(ar -> {
        context.owner().cancelTimer(deadline);
        context.owner().cancelTimer(timerId);
        Future<Void> released = leaseHeld ? here(store.releaseLease(leaseKey, leaseToken)) : Future.succeededFuture();
        leaseHeld = false;
        stats.leaseHeld = false;
        released.onComplete(r -> done.complete());
      });
    });
    return done.future();
  }

  /**
   * For tests: stops at once as a killed process would, renewing nothing and releasing nothing;
   * handlers still running are forgotten (their outcome is ignored).
   */
  Future<Void> crash() {
    Promise<Void> done = context.promise();
    context.runOnContext(v -> {
      stopping = true;
      if (started) {
        context.owner().cancelTimer(timerId);
        reader.close();
      }
      for (Held<T> h : held.values()) {
        if (h.timer != -1) {
          context.owner().cancelTimer(h.timer);
        }
      }
      held.clear();
      for (Lane<T> lane : lanes) {
        lane.queue.clear();
        lane.current = null;
      }
      crashed = true;
      done.complete();
    });
    return done.future();
  }

  private boolean crashed;

  // ---------------------------------------------------------------- reading

  private void readLoop() {
    if (!started || stopping || reading) {
      return;
    }
    if (settings.ordered() && !(isLeaseHolder() && caughtUp)) {
      return;
    }
    int room = settings.maxInFlight() - held.size();
    if (room <= 0) {
      return;
    }
    reading = true;
    here(store.read(reader, stream, group, consumer, Math.min(settings.batchSize(), room), settings.blockMs()))
        .onComplete(ar -> {
          reading = false;
          if (stopping) {
            // Entries read now stay pending: another consumer takes them over after the visibility timeout.
            return;
          }
          if (ar.failed()) {
            readFailures++;
            recreateIfLost(ar.cause());
            warn("cannot read " + stream + " for " + group, ar.cause());
            reader.close();
            reader = store.newReader();
            context.setTimer(Math.min(2_000, 50L << Math.min(6, readFailures)), t -> readLoop());
            return;
          }
          readFailures = 0;
          if (settings.ordered() && !isLeaseHolder()) {
            return; // the lease ran out meanwhile: the next holder takes these over
          }
          for (StreamEntry entry : ar.result()) {
            accept(entry, 1);
          }
          readLoop();
        });
  }

  /** An entry read or taken over: queue it, run it, or give it up. */
  private void accept(StreamEntry entry, int deliveries) {
    if (held.containsKey(entry.id())) {
      return;
    }
    if (entry.deleted()) {
      stats.skipped.increment();
      ackQuietly(entry.id());
      return;
    }
    String only = entry.group();
    if (only != null && !only.equals(group)) {
      stats.skipped.increment();
      ackQuietly(entry.id());
      return;
    }
    if (deliveries > 1) {
      stats.redelivered.increment();
    }
    Held<T> h = new Held<>(entry, deliveries);
    held.put(h.id, h);
    stats.inFlight = held.size();
    if (deliveries > settings.maxAttempts()) {
      deadLetter(h, deliveries - 1, "delivered " + (deliveries - 1) + " times, never acknowledged: the consumers "
          + "handling it were lost");
      return;
    }
    try {
      h.prepared = handler.prepare(entry);
    } catch (Throwable t) {
      deadLetter(h, deliveries, reason(t));
      return;
    }
    if (!settings.ordered()) {
      run(h);
      return;
    }
    String key;
    try {
      key = handler.orderKey(entry, h.prepared);
    } catch (Throwable t) {
      deadLetter(h, deliveries, "cannot tell its key: " + reason(t));
      return;
    }
    h.lane = Math.floorMod(Objects.hashCode(key), lanes.length);
    Lane<T> lane = lanes[h.lane];
    lane.queue.add(h);
    pump(lane);
  }

  private void pump(Lane<T> lane) {
    if (lane.current != null || stopping) {
      return;
    }
    if (!isLeaseHolder()) {
      loseLease("it ran out");
      return;
    }
    Held<T> next = lane.queue.poll();
    if (next != null) {
      lane.current = next;
      run(next);
    }
  }

  /**
   * A Redis that lost its data (restarted without persistence, flushed) lost the group too: it is
   * created again, from {@code startId}, and consuming goes on.
   */
  private void recreateIfLost(Throwable err) {
    if (recreating || err == null || err.getMessage() == null || !err.getMessage().startsWith("NOGROUP")) {
      return;
    }
    recreating = true;
    here(store.createGroup(stream, group, startId)).onComplete(ar -> {
      recreating = false;
      if (ar.succeeded() && ar.result()) {
        log.warn("Group " + group + " on " + stream + " was gone (Redis lost its data?): created it again at " + startId);
      }
    });
  }

  // ---------------------------------------------------------------- handling

  @SuppressWarnings("unchecked")
  private void run(Held<T> h) {
    h.running = true;
    stats.delivered.increment();
    Future<Object> result;
    try {
      result = (Future<Object>) handler.handle(new Delivery<>(h.entry, h.prepared, h.deliveries, h.lane));
      if (result == null) {
        result = Future.failedFuture(new IllegalStateException("the handler returned null"));
      }
    } catch (Throwable t) {
      result = Future.failedFuture(t);
    }
    here(result).onComplete(ar -> {
      if (!crashed) {
        handled(h, ar);
      }
    });
  }

  private void handled(Held<T> h, AsyncResult<Object> ar) {
    if (ar.succeeded()) {
      acknowledge(h);
      return;
    }
    stats.failed.increment();
    Throwable cause = ar.cause();
    if (cause instanceof DeadLetterException || h.deliveries >= settings.maxAttempts()) {
      deadLetter(h, h.deliveries, reason(cause));
      return;
    }
    if (entryLog.isDebugEnabled()) {
      entryLog.debug(h.entry.trace(), "Attempt " + h.deliveries + " at " + stream + " " + h.id + " for " + group
          + " failed: " + reason(cause));
    }
    if (stopping || (settings.ordered() && !isLeaseHolder())) {
      release(h); // stays pending: tried again by whoever takes it over
      return;
    }
    h.running = false;
    h.timer = context.setTimer(settings.retryDelayMs(), t -> retry(h));
  }

  private void acknowledge(Held<T> h) {
    Future<Void> acked;
    try {
      acked = handler.acknowledge(store, stream, group, settings.deleteHandled(),
          new Delivery<>(h.entry, h.prepared, h.deliveries, h.lane));
    } catch (Throwable t) {
      acked = Future.failedFuture(t);
    }
    here(acked).onComplete(ar -> {
      if (ar.succeeded()) {
        stats.handled.increment();
        release(h);
      } else if (settings.ordered() && isLeaseHolder() && !stopping) {
        // The next entry of the key must not start before this one is acknowledged: if it were
        // left pending, a takeover would run it again after newer ones.
        warn("cannot acknowledge " + h.id + " on " + stream + ", trying again", ar.cause());
        h.timer = context.setTimer(settings.retryDelayMs(), t -> {
          h.timer = -1;
          acknowledge(h);
        });
      } else {
        warn("cannot acknowledge " + h.id + " on " + stream + " (it will be delivered again)", ar.cause());
        release(h);
      }
    });
  }

  private void retry(Held<T> h) {
    h.timer = -1;
    if (stopping || (settings.ordered() && !isLeaseHolder())) {
      abandon(h);
      return;
    }
    h.running = true;
    here(store.claim(stream, group, consumer, h.id)).onComplete(ar -> {
      if (stopping || (settings.ordered() && !isLeaseHolder())) {
        release(h);
      } else if (ar.failed()) {
        warn("cannot claim " + h.id + " on " + stream + " to try it again", ar.cause());
        h.running = false;
        h.timer = context.setTimer(settings.retryDelayMs(), t -> retry(h));
      } else if (ar.result() == null) {
        stats.skipped.increment(); // trimmed or deleted meanwhile
        release(h);
      } else {
        h.deliveries++;
        stats.redelivered.increment();
        run(h);
      }
    });
  }

  private void deadLetter(Held<T> h, int attempts, String reason) {
    h.running = true;
    here(store.deadLetter(stream, group, consumer, h.id, attempts, reason, settings.deleteHandled()))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            stats.deadLettered.increment();
            entryLog.warn(h.entry.trace(), "Gave up " + stream + " " + h.id + " for " + group + " after " + attempts
                + " attempt(s): " + reason + " (now in " + EventKeys.deadLetters(stream, group) + ")");
            release(h);
          } else if (!stopping && (!settings.ordered() || isLeaseHolder())) {
            warn("cannot move " + h.id + " on " + stream + " to its dead letters, trying again", ar.cause());
            h.timer = context.setTimer(settings.retryDelayMs(), t -> {
              h.timer = -1;
              deadLetter(h, attempts, reason);
            });
          } else {
            release(h);
          }
        });
  }

  /** Lets go of an entry not running: it stays pending, for a takeover. */
  private void abandon(Held<T> h) {
    if (h.timer != -1) {
      context.owner().cancelTimer(h.timer);
      h.timer = -1;
    }
    if (h.lane >= 0) {
      lanes[h.lane].queue.remove(h);
    }
    release(h);
  }

  private void release(Held<T> h) {
    if (held.remove(h.id) == null) {
      return;
    }
    h.running = false;
    stats.inFlight = held.size();
    if (h.lane >= 0 && lanes[h.lane].current == h) {
      lanes[h.lane].current = null;
      pump(lanes[h.lane]);
    }
    checkDrained();
    readLoop();
  }

  private void checkDrained() {
    if (drained != null && held.isEmpty()) {
      drained.tryComplete();
    }
  }

  private void ackQuietly(String id) {
    here(store.ack(stream, group, id, settings.deleteHandled()))
        .onFailure(err -> warn("cannot acknowledge " + id + " on " + stream, err));
  }

  // ---------------------------------------------------------------- ticks

  /** Every third of the visibility timeout: renew what is held, then lease, takeovers, stats. */
  private void tick() {
    if (store.isClosed()) {
      // The store's owner closed it: nothing more can be sent.
      context.owner().cancelTimer(timerId);
      stopping = true;
      if (drained != null) {
        drained.tryComplete();
      }
      return;
    }
    if (ticking) {
      return;
    }
    ticking = true;
    ticks++;
    if (leaseHeld && !isLeaseHolder()) {
      loseLease("it was not renewed in time");
    }
    Future<Void> step = extendHeld();
    if (!stopping) {
      step = step.compose(v -> settings.ordered() ? leaseStep() : reclaimStep());
      if ((ticks - 1) % Math.max(1, STATS_EVERY_MS / tickMs) == 0) {
        step = step.compose(v -> refreshStats());
      }
      if (ticks % Math.max(1, FORGET_EVERY_MS / tickMs) == 0) {
        step = step.compose(v -> quietly(store.forgetConsumers(stream, group,
            Math.max(FORGET_IDLE_MS, 10 * settings.visibilityTimeoutMs())), "cannot forget idle consumers"));
      }
    }
    step.onComplete(ar -> ticking = false);
  }

  private Future<Void> extendHeld() {
    List<String> ids = new ArrayList<>(held.size());
    boolean holder = !settings.ordered() || isLeaseHolder();
    for (Held<T> h : held.values()) {
      if (holder || h.running) {
        ids.add(h.id);
      }
    }
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return quietly(here(store.extend(stream, group, consumer, ids)).map(lost -> {
      for (String id : lost) {
        Held<T> h = held.get(id);
        if (h != null && !h.running) {
          log.debug("Another consumer took " + id + " on " + stream + " over");
          abandon(h);
        }
      }
      return null;
    }), "cannot renew the entries held on " + stream);
  }

  private Future<Void> reclaimStep() {
    int room = settings.maxInFlight() - held.size();
    if (room <= 0) {
      return Future.succeededFuture();
    }
    return quietly(here(store.autoclaim(stream, group, consumer, settings.visibilityTimeoutMs(), claimStart,
        Math.min(room, settings.batchSize()))).map(claimed -> {
          claimStart = claimed.nextStart();
          for (Replies.Counted c : claimed.entries()) {
            if (!stopping) {
              accept(c.entry(), c.deliveries());
            }
          }
          return null;
        }), "cannot take over idle entries of " + stream);
  }

  private Future<Void> leaseStep() {
    long sentAt = System.nanoTime();
    if (leaseHeld) {
      return quietly(here(store.renewLease(leaseKey, leaseToken, settings.visibilityTimeoutMs())).compose(ok -> {
        if (!ok) {
          loseLease("another consumer holds it");
          return Future.succeededFuture();
        }
        leaseValidUntil = sentAt + visibilityNanos;
        return takeover();
      }), "cannot renew the lease of " + group + " on " + stream);
    }
    return quietly(here(store.acquireLease(leaseKey, leaseToken, settings.visibilityTimeoutMs())).compose(ok -> {
      if (!ok || stopping) {
        return Future.succeededFuture();
      }
      leaseHeld = true;
      leaseValidUntil = sentAt + visibilityNanos;
      caughtUp = false;
      stats.leaseHeld = true;
      log.info("Consumer " + consumer + " now reads " + stream + " for " + group + " (ordered)");
      return takeover();
    }), "cannot take the lease of " + group + " on " + stream);
  }

  /** The new holder of the lease takes over what is pending, in order, before reading new entries. */
  private Future<Void> takeover() {
    if (caughtUp || stopping || !isLeaseHolder()) {
      return Future.succeededFuture();
    }
    int room = settings.maxInFlight() - held.size();
    if (room <= 0) {
      return Future.succeededFuture();
    }
    return here(store.takeover(stream, group, consumer, settings.visibilityTimeoutMs(), room, held.keySet()))
        .map(t -> {
          if (t.busyConsumer() != null) {
            log.debug("Waiting for " + t.busyConsumer() + " to finish or drop its entries of " + stream);
            return null;
          }
          for (Replies.Counted c : t.entries()) {
            accept(c.entry(), c.deliveries());
          }
          if (t.complete() && isLeaseHolder()) {
            caughtUp = true;
            readLoop();
          }
          return null;
        });
  }

  private void loseLease(String why) {
    if (!leaseHeld) {
      return;
    }
    leaseHeld = false;
    caughtUp = false;
    stats.leaseHeld = false;
    log.info("Consumer " + consumer + " lost the lease of " + group + " on " + stream + ": " + why);
    for (Held<T> h : new ArrayList<>(held.values())) {
      if (!h.running) {
        abandon(h);
      }
    }
  }

  private boolean isLeaseHolder() {
    return !settings.ordered() || (leaseHeld && System.nanoTime() - leaseValidUntil < 0);
  }

  private Future<Void> refreshStats() {
    Future<Void> groups = here(store.groups(stream)).map(all -> {
      for (EventStore.GroupInfo g : all) {
        if (g.name().equals(group)) {
          stats.pending = g.pending();
          stats.lag = g.lag();
        }
      }
      return null;
    });
    Future<Void> dead = here(store.length(EventKeys.deadLetters(stream, group))).map(n -> {
      stats.deadLetters = n;
      return null;
    });
    return quietly(Future.all(groups, dead).mapEmpty(), "cannot read the state of " + group + " on " + stream);
  }

  // ---------------------------------------------------------------- plumbing

  /** The future, completing on this consumer's context. */
  private <R> Future<R> here(Future<R> future) {
    Promise<R> promise = context.promise();
    future.onComplete(promise);
    return promise.future();
  }

  private <R> Future<Void> quietly(Future<R> future, String what) {
    return future.<Void>mapEmpty().recover(err -> {
      recreateIfLost(err);
      warn(what, err);
      return Future.succeededFuture();
    });
  }

  /** Redis trouble: logged once per ten seconds at most, the rest at debug level. */
  private void warn(String what, Throwable err) {
    if (store.isClosed()) {
      return;
    }
    long now = System.nanoTime();
    String message = what + ": " + reason(err);
    if (lastWarn == 0 || now - lastWarn >= WARN_EVERY_NANOS) {
      lastWarn = now;
      log.warn(message);
    } else if (log.isDebugEnabled()) {
      log.debug(message);
    }
  }

  private static String reason(Throwable t) {
    if (t == null) {
      return "failed";
    }
    return t.getMessage() == null ? t.getClass().getName() : t.getMessage();
  }

  private static final class Held<T> {
    final String id;
    final StreamEntry entry;
    T prepared;
    int deliveries;
    int lane = -1;
    boolean running;
    long timer = -1;

    Held(StreamEntry entry, int deliveries) {
      this.id = entry.id();
      this.entry = entry;
      this.deliveries = deliveries;
    }
  }

  private static final class Lane<T> {
    final ArrayDeque<Held<T>> queue = new ArrayDeque<>();
    Held<T> current;
  }
}
