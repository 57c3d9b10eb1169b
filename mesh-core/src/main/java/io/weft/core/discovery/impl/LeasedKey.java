package io.weft.core.discovery.impl;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.weft.core.discovery.Registration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A key held under its own lease, kept alive by jetcd, for as long as it is registered.
 * <p>
 * A registration must outlive every etcd trouble that leaves the instance itself healthy, so the
 * lease is treated as lost, and replaced (a new lease, the key put again, retried with backoff
 * until it works or the key is deregistered), whenever
 * <ul>
 *   <li>jetcd's keepalive for it fails or ends: etcd was unreachable, or answered that the lease is
 *       gone (the process was paused past the TTL, etcd restarted without it);</li>
 *   <li>a periodic check, every third of the TTL, finds the key missing or not held by the lease:
 *       someone deleted it, or etcd restarted with its data wiped and the keepalive has not noticed.</li>
 * </ul>
 * All state is touched on one context; jetcd's callbacks hop to it.
 */
public final class LeasedKey implements Registration {

  private static final Logger log = LoggerFactory.getLogger(LeasedKey.class);

  private final Context context;
  private final EtcdClient etcd;
  private final String name;
  private final ByteSequence key;
  private final ByteSequence value;
  private final int ttlSec;
  private final Consumer<LeasedKey> onDeregister;
  private final Backoff backoff = new Backoff(100, 5_000);

  /** The lease the key was last put with. */
  private long leaseId;
  private CloseableClient keepAlive;
  /** The latest grant-and-put: deregistration waits for it, so that it revokes the lease it made. */
  private Future<Long> attempt = Future.succeededFuture(0L);
  private boolean recovering;
  private boolean checking;
  private long retryTimer = -1;
  private long checkTimer = -1;
  private Future<Void> deregistered;

  private LeasedKey(Context context, EtcdClient etcd, String key, String value, int ttlSec,
                    Consumer<LeasedKey> onDeregister) {
    this.context = context;
    this.etcd = etcd;
    this.name = key;
    this.key = EtcdKeys.bytes(key);
    this.value = EtcdKeys.bytes(value);
    this.ttlSec = ttlSec;
    this.onDeregister = onDeregister;
  }

  /**
   * Puts {@code value} at {@code key} under a new lease of {@code ttlSec} and keeps it there until
   * {@link #deregister()}; the future fails if the first put does.
   */
  public static Future<LeasedKey> register(Context context, EtcdClient etcd, String key, String value, int ttlSec,
                                           Consumer<LeasedKey> onDeregister) {
    LeasedKey leased = new LeasedKey(context, etcd, key, value, ttlSec, onDeregister);
    Promise<LeasedKey> registered = Promise.promise();
    context.runOnContext(v -> leased.grantAndPut().onComplete(ar -> {
      if (ar.failed()) {
        registered.fail(ar.cause());
        return;
      }
      leased.attach(ar.result());
      long checkMs = Math.max(100, ttlSec * 1000L / 3);
      leased.checkTimer = leased.vertx().setPeriodic(checkMs, t -> leased.check());
      registered.complete(leased);
    }));
    return registered.future();
  }

  @Override
  public String key() {
    return name;
  }

  /** Revokes the lease, which deletes the key at once, and stops keeping it; idempotent. */
  @Override
  public Future<Void> deregister() {
    Promise<Void> done = Promise.promise();
    if (Vertx.currentContext() == context) {
      stop().onComplete(done);
    } else {
      context.runOnContext(v -> stop().onComplete(done));
    }
    return done.future();
  }

  private Future<Void> stop() {
    if (deregistered == null) {
      vertx().cancelTimer(retryTimer);
      vertx().cancelTimer(checkTimer);
      closeKeepAlive();
      onDeregister.accept(this);
      // Once the attempt in flight (if any) is done, leaseId is the lease the key was last put with.
      deregistered = attempt.transform(ar -> revoke(leaseId));
    }
    return deregistered;
  }

  private Future<Long> grantAndPut() {
    attempt = etcd.call(context, client -> client.getLeaseClient().grant(ttlSec))
        .compose(grant -> {
          long id = grant.getID();
          PutOption underLease = PutOption.builder().withLeaseId(id).build();
          return etcd.call(context, client -> client.getKVClient().put(key, value, underLease))
              .map(put -> id)
              .onFailure(e -> revoke(id));
        });
    return attempt;
  }

  private void attach(long id) {
    leaseId = id;
    recovering = false;
    if (deregistered != null) {
      return;
    }
    try {
      keepAlive = etcd.get().getLeaseClient().keepAlive(id, observer(id));
    } catch (RuntimeException e) {
      lost(id, "keepalive refused: " + e.getMessage());
    }
  }

  private StreamObserver<LeaseKeepAliveResponse> observer(long id) {
    return new StreamObserver<>() {
      @Override
      public void onNext(LeaseKeepAliveResponse response) {
      }

      @Override
      public void onError(Throwable t) {
        context.runOnContext(v -> lost(id, "keepalive failed: " + t.getMessage()));
      }

      @Override
      public void onCompleted() {
        context.runOnContext(v -> lost(id, "no keepalive answer within the TTL"));
      }
    };
  }

  private void lost(long id, String why) {
    if (deregistered != null || recovering || id != leaseId) {
      return;
    }
    recovering = true;
    closeKeepAlive();
    log.warn("Lease " + Long.toHexString(id) + " of " + name + " lost (" + why + "); registering again");
    recover();
  }

  private void recover() {
    retryTimer = -1;
    if (deregistered != null) {
      return;
    }
    grantAndPut().onComplete(ar -> {
      if (ar.succeeded()) {
        backoff.reset();
        attach(ar.result());
        if (deregistered == null) {
          log.info(name + " registered again under lease " + Long.toHexString(leaseId));
        }
      } else if (deregistered == null) {
        long delay = backoff.next();
        log.warn("Registering " + name + " again failed (" + ar.cause().getMessage() + "); retrying in " + delay + " ms");
        retryTimer = vertx().setTimer(delay, t -> recover());
      }
    });
  }

  private void check() {
    if (deregistered != null || recovering || checking) {
      return;
    }
    long id = leaseId;
    checking = true;
    etcd.call(context, client -> client.getKVClient().get(key)).onComplete(ar -> {
      checking = false;
      if (ar.failed()) {
        return; // etcd unreachable: the keepalive reports the lease lost if it stays so past the TTL
      }
      List<KeyValue> found = ar.result().getKvs();
      if (found.isEmpty()) {
        lost(id, "the key was deleted");
      } else if (found.get(0).getLease() != id) {
        lost(id, "the key is held by lease " + Long.toHexString(found.get(0).getLease()));
      } else if (!found.get(0).getValue().equals(value)) {
        lost(id, "the value was replaced");
      }
    });
  }

  private Future<Void> revoke(long id) {
    return etcd.call(context, client -> client.getLeaseClient().revoke(id))
        .<Void>mapEmpty()
        .recover(e -> EtcdClient.isNotFound(e) ? Future.succeededFuture() : Future.failedFuture(e));
  }

  private void closeKeepAlive() {
    if (keepAlive != null) {
      keepAlive.close();
      keepAlive = null;
    }
  }

  private Vertx vertx() {
    return context.owner();
  }
}
