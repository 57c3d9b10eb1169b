package io.weft.launcher.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.weft.core.auth.HmacTokens;
import io.weft.core.conn.ConnectionOptions;
import io.weft.core.conn.MeshConnection;
import io.weft.core.protocol.Envelope;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an idle client connection costs a gate: opens {@code --connections} connections (each
 * authenticated when {@code --token-config} names the gate's auth section, each with a fresh
 * token), holds them, and reads the gate process's live heap after a full GC (jcmd) before and
 * after: the difference divided by the connections.
 */
final class IdleBench {

  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  private final BenchPlan plan;
  private final PrintStream out;
  private final HmacTokens tokens;

  IdleBench(BenchPlan plan, PrintStream out, HmacTokens tokens) {
    this.plan = plan;
    this.out = out;
    this.tokens = tokens;
  }

  JsonObject run() throws Exception {
    if (plan.sutPids().size() != 1) {
      throw new IllegalArgumentException("the idle scenario needs the gate's process: --sut-pid PID");
    }
    long gatePid = plan.sutPids().get(0);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(plan.threads()));
    NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(10_000));
    List<MeshConnection> connections = new ArrayList<>();
    try {
      long before = liveHeapBytes(gatePid);
      out.printf("bench idle: gate %s:%d, live heap before %,d KiB; opening %,d connections%s%n", plan.host(), plan.port(),
          before / 1024, plan.connections(), tokens == null ? "" : " (authenticated)");
      ConnectionOptions options = new ConnectionOptions().setHeartbeat(30_000, 60_000);
      int batch = 200;
      for (int i = 0; i < plan.connections(); i += batch) {
        List<Future<MeshConnection>> opening = new ArrayList<>();
        for (int k = i; k < Math.min(plan.connections(), i + batch); k++) {
          opening.add(open(vertx, client, options));
        }
        Future.all(opening).await(60, TimeUnit.SECONDS);
        opening.forEach(f -> connections.add(f.result()));
      }
      long open = connections.stream().filter(MeshConnection::isOpen).count();
      if (open < connections.size()) {
        java.util.Map<Object, Long> reasons = connections.stream().filter(c -> !c.isOpen())
            .collect(java.util.stream.Collectors.groupingBy(c -> String.valueOf(c.closeReason()) + " " + c.closeCause(),
                java.util.stream.Collectors.counting()));
        out.println("closed: " + reasons);
      }
      // Let the gate settle (auth timers, first heartbeats) before measuring what stays.
      Thread.sleep(Math.max(1000, plan.warmup().toMillis()));
      long after = liveHeapBytes(gatePid);
      double perConnection = (after - before) / (double) open;
      out.printf("result: %,d connections open; live heap %,d KiB -> %,d KiB: %,.0f bytes (%.2f KiB) per connection%n",
          open, before / 1024, after / 1024, perConnection, perConnection / 1024);
      return plan.toJson().put("scenario", "idle").put("connectionsOpen", open).put("heapBeforeBytes", before)
          .put("heapAfterBytes", after).put("bytesPerConnection", Math.round(perConnection));
    } finally {
      connections.forEach(MeshConnection::close);
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private Future<MeshConnection> open(Vertx vertx, NetClient client, ConnectionOptions options) {
    ContextInternal context = ((VertxInternal) vertx).createEventLoopContext();
    Promise<MeshConnection> promise = Promise.promise();
    context.runOnContext(v -> client.connect(plan.port(), plan.host()).onComplete(ar -> {
      if (ar.failed()) {
        promise.fail(ar.cause());
        return;
      }
      MeshConnection[] holder = new MeshConnection[1];
      holder[0] = MeshConnection.attach(ar.result(), options, envelope -> {
        if (envelope instanceof Envelope.AuthResponse auth) {
          if (auth.code() == 0) {
            promise.tryComplete(holder[0]);
          } else {
            promise.tryFail("auth refused: " + auth.code() + " " + auth.error());
          }
        }
      });
      if (tokens == null) {
        promise.complete(holder[0]);
      } else {
        holder[0].send(new Envelope.AuthRequest(1, tokens.sign("idle-bench", "idle", Duration.ofHours(1)), "idle"));
      }
    }));
    return promise.future();
  }

  /** Live heap of a JVM after a full GC, read with jcmd. */
  static long liveHeapBytes(long pid) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    run(jcmd.toString(), String.valueOf(pid), "GC.run");
    String info = run(jcmd.toString(), String.valueOf(pid), "GC.heap_info");
    Matcher m = USED.matcher(info);
    if (!m.find()) {
      throw new IllegalStateException("cannot read the heap of " + pid + " from: " + info);
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
    return output;
  }
}
