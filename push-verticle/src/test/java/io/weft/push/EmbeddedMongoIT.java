package io.weft.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EmbeddedMongo}: mongo-java-server on Vert.x's Netty, reached by the MongoDB driver over a
 * real socket.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmbeddedMongoIT {

  @TempDir
  Path dataDir;

  private static <T> T done(Future<T> future) throws Exception {
    return future.await(20, TimeUnit.SECONDS);
  }

  /** A round trip through a fresh driver connection: insert, then find. */
  private static JsonObject roundTrip(Vertx vertx, EmbeddedMongo server, JsonObject doc) throws Exception {
    MongoClient client = MongoClient.create(vertx, new JsonObject().put("connection_string", server.connectionString()).put("db_name", "t"));
    try {
      done(client.save("things", doc.copy()));
      return done(client.findOne("things", new JsonObject().put("_id", doc.getString("_id")), null));
    } finally {
      done(client.close());
    }
  }

  private static boolean accepts(Vertx vertx, int port) throws Exception {
    return done(vertx.createNetClient().connect(port, "127.0.0.1")
        .compose(socket -> socket.close().map(true))
        .otherwise(false));
  }

  @Test
  void aServerServesTheDriverAndRunsUntilItsLastHandleCloses(Vertx vertx) throws Exception {
    EmbeddedMongo a = done(EmbeddedMongo.start(vertx, dataDir, 0));
    EmbeddedMongo b = done(EmbeddedMongo.start(vertx, dataDir, 0));

    assertThat(b.port()).isEqualTo(a.port()).isPositive();
    assertThat(a.connectionString()).isEqualTo("mongodb://127.0.0.1:" + a.port());
    assertThat(roundTrip(vertx, a, new JsonObject().put("_id", "x").put("n", 1))).isEqualTo(new JsonObject().put("_id", "x").put("n", 1));

    done(a.close());
    done(a.close()); // a second close of one handle does not give up another's
    assertThat(roundTrip(vertx, b, new JsonObject().put("_id", "y"))).isNotNull();

    done(b.close());
    assertThat(accepts(vertx, b.port())).isFalse();
    assertThat(dataDir.resolve(EmbeddedMongo.DATA_FILE)).isNotEmptyFile();
  }

  @Test
  void concurrentStartsShareOneServer(Vertx vertx) throws Exception {
    var starts = Future.all(EmbeddedMongo.start(vertx, dataDir, 0), EmbeddedMongo.start(vertx, dataDir, 0),
        EmbeddedMongo.start(vertx, dataDir, 0));
    done(starts);
    EmbeddedMongo first = starts.resultAt(0);

    for (int i = 0; i < 3; i++) {
      assertThat(starts.<EmbeddedMongo>resultAt(i).port()).isEqualTo(first.port());
    }
    for (int i = 0; i < 3; i++) {
      done(starts.<EmbeddedMongo>resultAt(i).close());
    }
    assertThat(accepts(vertx, first.port())).isFalse();
  }

  @Test
  void aConfiguredPortIsUsed(Vertx vertx) throws Exception {
    int port = freePort();
    EmbeddedMongo server = done(EmbeddedMongo.start(vertx, dataDir, port));

    assertThat(server.port()).isEqualTo(port);
    assertThat(server.connectionString()).isEqualTo("mongodb://127.0.0.1:" + port);
    done(server.close());
  }

  @Test
  void dataSurvivesARestartThatFollowsTheStopAtOnce(Vertx vertx) throws Exception {
    EmbeddedMongo server = done(EmbeddedMongo.start(vertx, dataDir, 0));
    roundTrip(vertx, server, new JsonObject().put("_id", "kept").put("v", "before"));

    Future<Void> stopping = server.close();
    // Started before the stop is done: waits for the H2 file to be released rather than fail on its lock.
    EmbeddedMongo again = done(EmbeddedMongo.start(vertx, dataDir, 0));
    assertThat(stopping.isComplete()).isTrue();

    MongoClient client = MongoClient.create(vertx, new JsonObject().put("connection_string", again.connectionString()).put("db_name", "t"));
    assertThat(done(client.findOne("things", new JsonObject().put("_id", "kept"), null)).getString("v")).isEqualTo("before");
    done(client.close());
    done(again.close());
  }

  @Test
  void aTakenPortFailsNamingItAndReleasesTheDataFile(Vertx vertx) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> done(EmbeddedMongo.start(vertx, dataDir, taken.getLocalPort())))
          .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
    }
    EmbeddedMongo server = done(EmbeddedMongo.start(vertx, dataDir, 0));
    assertThat(roundTrip(vertx, server, new JsonObject().put("_id", "z"))).isNotNull();
    done(server.close());
  }

  @Test
  void aDataDirThatIsAFileFailsNamingIt(Vertx vertx) throws Exception {
    Path file = Files.writeString(dataDir.resolve("not-a-folder"), "x");

    assertThatThrownBy(() -> done(EmbeddedMongo.start(vertx, file, 0))).hasMessageContaining("data folder").hasMessageContaining(file.toString());
    // The failed start left nothing behind: the folder can be fixed and started.
    Files.delete(file);
    EmbeddedMongo server = done(EmbeddedMongo.start(vertx, file, 0));
    done(server.close());
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
