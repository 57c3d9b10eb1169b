package io.weft.core.discovery.impl;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The registry's jetcd client, and its calls as Vert.x futures completed on the caller's context.
 * <p>
 * While etcd stays unreachable, the client is replaced by a new one every
 * {@value #REPLACE_AFTER_MS} ms. gRPC spaces out its reconnection attempts (1.6 times further each
 * time, up to two minutes) and jetcd gives no access to its channel to reset that, so after a long
 * outage the registry would find etcd back only minutes after its return, when the leases of its
 * instances have long expired. A new client connects at once. Closing the one it replaces fails
 * the keepalives and watches still on it, which recover on the new one as from any other failure.
 */
public final class EtcdClient {

  /**
   * A stalled etcd (stopped process, half-open connection) would otherwise keep a call pending until
   * gRPC's keepalive gives up, about 40 s later; every caller here retries or reports instead.
   */
  public static final long REQUEST_TIMEOUT_MS = 5_000;
  public static final long REPLACE_AFTER_MS = 5_000;

  private static final Logger log = LoggerFactory.getLogger(EtcdClient.class);

  private final Supplier<Client> factory;
  private Client current;
  /** When the current streak of calls that could not reach etcd began (nanoTime), or null. */
  private Long unreachableSince;
  private boolean closed;

  /** @param factory makes a client; called once now, and again for each replacement */
  public EtcdClient(Supplier<Client> factory) {
    this.factory = factory;
    this.current = factory.get();
  }

  /** The client to open streams (keepalives, watches) on. */
  public synchronized Client get() {
    return current;
  }

  /** Runs {@code call} on the current client; its outcome (or what it threw) completes the future on {@code context}. */
  public <T> Future<T> call(Context context, Function<Client, CompletableFuture<T>> call) {
    Client client = get();
    CompletableFuture<T> started;
    try {
      started = call.apply(client);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return Future.fromCompletionStage(started, context)
        .timeout(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(e -> Future.failedFuture(unwrap(e)))
        .andThen(ar -> outcome(client, ar.cause()));
  }

  /** Whether etcd said the lease (or key) is not there: for a revoke, the work is already done. */
  public static boolean isNotFound(Throwable failure) {
    // jetcd passes some gRPC statuses through as they are (a revoke's NOT_FOUND), and wraps others.
    return hasCode(failure, ErrorCode.NOT_FOUND, Status.Code.NOT_FOUND);
  }

  public synchronized void close() {
    if (!closed) {
      closed = true;
      current.close();
    }
  }

  private synchronized void outcome(Client used, Throwable failure) {
    if (closed || used != current) {
      return;
    }
    if (failure == null || !isUnreachable(failure)) {
      unreachableSince = null;
      return;
    }
    long now = System.nanoTime();
    if (unreachableSince == null) {
      unreachableSince = now;
    } else if (now - unreachableSince >= TimeUnit.MILLISECONDS.toNanos(REPLACE_AFTER_MS)) {
      log.warn("etcd unreachable for " + TimeUnit.NANOSECONDS.toMillis(now - unreachableSince)
          + " ms; connecting again with a new client");
      unreachableSince = null;
      Client replaced = current;
      current = factory.get();
      replaced.close();
    }
  }

  private static boolean isUnreachable(Throwable failure) {
    return hasCode(failure, ErrorCode.UNAVAILABLE, Status.Code.UNAVAILABLE)
        || unwrap(failure) instanceof TimeoutException;
  }

  private static boolean hasCode(Throwable failure, ErrorCode etcdCode, Status.Code grpcCode) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof EtcdException e && e.getErrorCode() == etcdCode) {
        return true;
      }
    }
    return Status.fromThrowable(failure).getCode() == grpcCode;
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
