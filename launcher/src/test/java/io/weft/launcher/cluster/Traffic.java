package io.weft.launcher.cluster;

import io.weft.core.MeshException;
import io.weft.core.client.CallOptions;
import io.weft.core.client.MeshClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/** Calls flowing through a gate while a test breaks things: every outcome is recorded. */
final class Traffic {

  /** One call: when it started and ended (System.nanoTime), its code, and who answered. */
  record Outcome(long startNanos, long endNanos, int code, String instance) {
    long latencyMs() {
      return (endNanos - startNanos) / 1_000_000;
    }
  }

  private final MeshClient client;
  private final long timeoutMs;
  private final String method;
  private final Map<String, Object> args;
  private final List<Outcome> outcomes = new ArrayList<>();
  private volatile boolean running = true;
  private int looping;

  Traffic(MeshClient client, int loops, long timeoutMs) {
    this(client, loops, timeoutMs, "Whoami", Map.of());
  }

  /** {@code loops} calls of echo's {@code method} at a time, each sent as the one before is answered. */
  Traffic(MeshClient client, int loops, long timeoutMs, String method, Map<String, Object> args) {
    this.client = client;
    this.timeoutMs = timeoutMs;
    this.method = method;
    this.args = args;
    for (int i = 0; i < loops; i++) {
      client.context().runOnContext(v -> loop());
    }
  }

  private void loop() {
    if (!running) {
      return;
    }
    synchronized (this) {
      looping++;
    }
    long start = System.nanoTime();
    client.call("demo", "echo", method, args, Map.class, CallOptions.DEFAULT.withTimeoutMs(timeoutMs))
        .onComplete(ar -> {
          int code = ar.succeeded() ? 0 : ar.cause() instanceof MeshException me ? me.code().value() : -1;
          String instance = ar.succeeded() ? String.valueOf(ar.result().get("Instance")) : null;
          synchronized (this) {
            outcomes.add(new Outcome(start, System.nanoTime(), code, instance));
            looping--;
          }
          // A failed call is retried after a pause, so an outage does not turn into a busy loop.
          client.context().owner().setTimer(ar.succeeded() ? 1 : 20, t -> loop());
        });
  }

  synchronized List<Outcome> since(long startNanos) {
    List<Outcome> list = new ArrayList<>();
    for (Outcome o : outcomes) {
      if (o.startNanos() >= startNanos) {
        list.add(o);
      }
    }
    return list;
  }

  synchronized List<Outcome> matching(Predicate<Outcome> filter) {
    return outcomes.stream().filter(filter).toList();
  }

  Set<String> instancesSince(long startNanos) {
    Set<String> seen = new TreeSet<>();
    for (Outcome o : since(startNanos)) {
      if (o.instance() != null) {
        seen.add(o.instance());
      }
    }
    return seen;
  }

  long successesSince(long startNanos) {
    return since(startNanos).stream().filter(o -> o.code() == 0).count();
  }

  void stop() {
    running = false;
  }

  /** Calls sent and not answered yet. */
  synchronized int inFlight() {
    return looping;
  }

  synchronized List<Outcome> all() {
    return List.copyOf(outcomes);
  }
}
