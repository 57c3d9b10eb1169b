package io.weft.push;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The embedded default of the safe-push store: a MongoDB-wire server inside the JVM
 * ({@code de.bwaldvogel:mongo-java-server}) on {@code 127.0.0.1}, its data in an H2 MVStore file
 * under a data folder, so that stored pushes survive a restart. Clients reach it with the
 * {@link #connectionString()} like any MongoDB.
 * <p>
 * One server runs per data folder and JVM, shared by reference count: the H2 file can be open
 * only once, and a push service deployed as several verticle instances opens one store each.
 * {@link #start} returns a handle on the shared server (starting it on the first call), and the
 * last handle {@link #close closed} stops it. A start that follows a stop of the same folder waits
 * for that stop to release the file.
 * <p>
 * Durability: H2 commits its writes every second and on a clean close, so a process killed
 * outright loses at most the last second of pushes; a clean undeploy loses none.
 * <p>
 * What it is not: the server keeps no TTL monitor and ignores secondary indexes (every query is a
 * scan of the collection), which is why the store deletes expired pushes itself and why a real
 * MongoDB is the production store.
 */
public final class EmbeddedMongo {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedMongo.class);

  /** The H2 file inside the data folder. */
  public static final String DATA_FILE = "safe-push.mv.db";

  private static final Map<Path, Shared> RUNNING = new HashMap<>();
  private static final Map<Path, Future<Void>> STOPPING = new HashMap<>();

  private final Vertx vertx;
  private final Shared shared;
  private final InetSocketAddress address;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedMongo(Vertx vertx, Shared shared, InetSocketAddress address) {
    this.vertx = vertx;
    this.shared = shared;
    this.address = address;
  }

  /**
   * A handle on the server of {@code dataDir}, started on {@code 127.0.0.1:port} (0: a free port)
   * if it is not running yet. When it is, {@code port} is not looked at. Binding and opening the
   * H2 file block, so they run on a worker thread.
   */
  public static Future<EmbeddedMongo> start(Vertx vertx, Path dataDir, int port) {
    Path key = dataDir.toAbsolutePath().normalize();
    Shared shared;
    synchronized (RUNNING) {
      shared = RUNNING.get(key);
      if (shared == null) {
        Shared created = new Shared(key);
        Future<Void> previousStop = STOPPING.getOrDefault(key, Future.succeededFuture());
        created.server = previousStop.transform(ignored -> vertx.executeBlocking(() -> bind(key, port), false));
        created.server.onFailure(e -> {
          synchronized (RUNNING) {
            RUNNING.remove(key, created);
          }
        });
        RUNNING.put(key, created);
        shared = created;
      }
      shared.refs++;
    }
    Shared acquired = shared;
    return acquired.server.transform(ar -> {
      if (ar.failed()) {
        synchronized (RUNNING) {
          acquired.refs--;
        }
        return Future.failedFuture(ar.cause());
      }
      return Future.succeededFuture(new EmbeddedMongo(vertx, acquired, ar.result().getLocalAddress()));
    });
  }

  /** {@code mongodb://127.0.0.1:<port>}. */
  public String connectionString() {
    return "mongodb://" + address.getHostString() + ":" + address.getPort();
  }

  public int port() {
    return address.getPort();
  }

  public Path dataDir() {
    return shared.dataDir;
  }

  /** Gives this handle up; the last one stops the server and closes the H2 file. Idempotent. */
  public Future<Void> close() {
    if (!closed.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    Future<Void> stop;
    synchronized (RUNNING) {
      if (--shared.refs > 0) {
        return Future.succeededFuture();
      }
      RUNNING.remove(shared.dataDir, shared);
      Promise<Void> stopped = Promise.promise();
      stop = stopped.future();
      STOPPING.put(shared.dataDir, stop);
      shared.server
          .compose(server -> vertx.<Void>executeBlocking(() -> {
            // Stops the listener, closes the connections still open, then closes (and commits) the H2 file.
            server.shutdownNow();
            return null;
          }, false))
          .onComplete(ar -> {
            synchronized (RUNNING) {
              STOPPING.remove(shared.dataDir, stop);
            }
            if (ar.failed()) {
              log.warn("Stopping the embedded MongoDB-wire server of " + shared.dataDir + " failed", ar.cause());
            }
            stopped.handle(ar);
          });
    }
    return stop;
  }

  private static MongoServer bind(Path dataDir, int port) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot create the embedded MongoDB-wire server's data folder " + dataDir + ": " + e, e);
    }
    Path file = dataDir.resolve(DATA_FILE);
    H2Backend backend;
    try {
      backend = new H2Backend(file.toString());
    } catch (Exception e) { // typically: another process has the file open
      throw new IllegalStateException("cannot open the embedded MongoDB-wire server's data file " + file + ": " + e.getMessage(), e);
    }
    MongoServer server = new MongoServer(backend);
    try {
      // One acceptor and one worker: the backend serialises writes per collection anyway, and this
      // JVM's cores belong to Vert.x's event loops.
      server.bind(new InetSocketAddress("127.0.0.1", port), 1, 1);
    } catch (Exception e) {
      // bind() shuts itself down (event loops and H2 file) on a RuntimeException only, but Netty
      // rethrows the checked BindException of a taken port as it is: that case is ours to clean up.
      if (!(e instanceof RuntimeException)) {
        try {
          server.shutdownNow();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new IllegalStateException("cannot start the embedded MongoDB-wire server on 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
    log.info("Embedded MongoDB-wire server on " + server.getConnectionString() + ", data in " + file);
    return server;
  }

  /** The server of one data folder and how many handles it has. Guarded by {@link #RUNNING}. */
  private static final class Shared {
    final Path dataDir;
    Future<MongoServer> server;
    int refs;

    Shared(Path dataDir) {
      this.dataDir = dataDir;
    }
  }
}
