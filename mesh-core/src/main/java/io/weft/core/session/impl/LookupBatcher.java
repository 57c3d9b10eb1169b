package io.weft.core.session.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.weft.core.session.Session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Gathers the single lookups asked for during one task of a context (the pushes of one socket
 * read, say) into one {@code lookupAll}: one store round trip for the lot, instead of a pooled
 * connection, a script call and a timer each. The batch goes out when the task ends, or at once
 * when it reaches {@code maxBatch} ids; a failed batch fails each of its lookups.
 * <p>
 * Lookups asked off any Vert.x context are not batched.
 */
public final class LookupBatcher {

  private final Function<Collection<String>, Future<Map<String, Session>>> lookupAll;
  private final int maxBatch;
  private List<String> ids = new ArrayList<>();
  private List<Promise<Session>> waiting = new ArrayList<>();

  public LookupBatcher(Function<Collection<String>, Future<Map<String, Session>>> lookupAll, int maxBatch) {
    this.lookupAll = lookupAll;
    this.maxBatch = maxBatch;
  }

  public Future<Session> lookup(String clientId) {
    Context current = Vertx.currentContext();
    if (current == null) {
      return lookupAll.apply(List.of(clientId)).map(found -> found.get(clientId));
    }
    Promise<Session> promise = ((ContextInternal) current).promise();
    boolean first;
    boolean full;
    synchronized (this) {
      first = ids.isEmpty();
      ids.add(clientId);
      waiting.add(promise);
      full = ids.size() >= maxBatch;
    }
    if (full) {
      send();
    } else if (first) {
      current.runOnContext(v -> send());
    }
    return promise.future();
  }

  private void send() {
    List<String> batch;
    List<Promise<Session>> promises;
    synchronized (this) {
      if (ids.isEmpty()) {
        return;
      }
      batch = ids;
      promises = waiting;
      ids = new ArrayList<>();
      waiting = new ArrayList<>();
    }
    Future<Map<String, Session>> found;
    try {
      found = lookupAll.apply(batch);
    } catch (RuntimeException e) {
      found = Future.failedFuture(e);
    }
    found.onComplete(ar -> {
      for (int i = 0; i < promises.size(); i++) {
        if (ar.succeeded()) {
          promises.get(i).complete(ar.result().get(batch.get(i)));
        } else {
          promises.get(i).fail(ar.cause());
        }
      }
    });
  }
}
