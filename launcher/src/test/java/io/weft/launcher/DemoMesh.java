package io.weft.launcher;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.weft.core.client.MeshClient;
import io.weft.core.client.MeshClientOptions;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The mesh of conf/local.json, demo services and page included, in this JVM on free ports: what
 * {@code bin/weft run conf/local.json} starts, without the fixed ports other runs may hold.
 */
final class DemoMesh implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  final Vertx vertx = Vertx.vertx();
  final int internalPort;
  final int externalPort;
  final int httpPort;

  DemoMesh() throws Exception {
    internalPort = freePort();
    externalPort = freePort();
    httpPort = freePort();
    JsonObject conf = MeshConfigTest.localJson();
    conf.getJsonArray("gates").getJsonObject(0).put("port", internalPort);
    JsonObject external = conf.getJsonArray("gates").getJsonObject(1).put("port", externalPort);
    external.getJsonObject("http").put("port", httpPort);
    conf.getJsonObject("admin").put("port", 0);
    conf.getJsonObject("push").getJsonObject("store").put("dataDir", Files.createTempDirectory("weft-push").toString());
    vertx.deployVerticle(new MeshVerticle(), new DeploymentOptions().setConfig(conf)).await(30, TimeUnit.SECONDS);
  }

  String url(String path) {
    return "http://127.0.0.1:" + httpPort + path;
  }

  /** A token for {@code subject} from the gate's development endpoint, as the demo page gets one. */
  String devToken(String subject) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url("/dev/token")))
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("Subject", subject).encode()))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("no dev token: " + response.statusCode() + " " + response.body());
    }
    return new JsonObject(response.body()).getString("Token");
  }

  /** A client of the external gate (TCP), authenticated and logged in as {@code user}. */
  MeshClient user(String user) throws Exception {
    MeshClient client = MeshClient.connect(vertx, new MeshClientOptions().setPort(externalPort)
        .setToken(devToken(user))).await(10, TimeUnit.SECONDS);
    client.login(user).await(10, TimeUnit.SECONDS);
    return client;
  }

  HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
