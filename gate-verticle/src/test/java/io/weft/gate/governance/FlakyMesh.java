package io.weft.gate.governance;

import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.protocol.Envelope.RouteRequest;
import io.weft.core.protocol.Envelope.RouteResponse;
import io.weft.core.test.TestPeer;
import io.weft.gate.GateOptions;
import io.weft.gate.GateVerticle;
import io.weft.service.ServiceHost;
import io.weft.service.ServiceOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.awaitility.Awaitility;

/** A gate and {@code test/flaky} instances (healthy or sick) in one Vert.x. */
final class FlakyMesh {

  final Vertx vertx;
  final Map<String, String> deployments = new HashMap<>();
  GateVerticle gate;
  private int rid = 1;

  FlakyMesh(Vertx vertx) {
    this.vertx = vertx;
    FlakyService.EXECUTIONS.clear();
    FlakyService.BY_INSTANCE.clear();
    FlakyService.HEALED.clear();
  }

  /** Starts an instance and returns its id ({@code host:port}). */
  String start(boolean sick) throws Exception {
    return start(sick, Map.of());
  }

  String start(boolean sick, Map<String, String> tags) throws Exception {
    ServiceHost host = new ServiceHost(new ServiceOptions().setNamespace("test").setName("flaky").setHost("127.0.0.1")
        .setTags(tags).setConfig(new JsonObject().put("sick", sick)), FlakyService::new);
    String deployment = vertx.deployVerticle(host).await(10, TimeUnit.SECONDS);
    deployments.put(host.instanceId(), deployment);
    return host.instanceId();
  }

  void stop(String instance) throws Exception {
    vertx.undeploy(deployments.remove(instance)).await(10, TimeUnit.SECONDS);
  }

  GateVerticle startGate(GateOptions options, int instances) throws Exception {
    gate = new GateVerticle(options.setHost("127.0.0.1").setPort(0).setTickMs(5));
    vertx.deployVerticle(gate).await(10, TimeUnit.SECONDS);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> routable().size() == instances);
    return gate;
  }

  List<String> routable() throws Exception {
    return onGate(() -> gate.routableInstances("test", "flaky"));
  }

  <T> T onGate(Supplier<T> read) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    vertx.runOnContext(v -> result.complete(read.get()));
    return result.get(2, TimeUnit.SECONDS);
  }

  TestPeer peer() throws Exception {
    return TestPeer.connect(vertx, gate.actualPort());
  }

  /** Sends one call and returns its request id. */
  long send(TestPeer peer, String method, Object args, long timeoutMs, String failMode, boolean broadcast,
            Map<String, String> tags) {
    long id = rid++;
    peer.send(new RouteRequest(id, "test", "flaky", Unpooled.wrappedBuffer(ArgsCodec.encodeInnerRpc(method, args)),
        timeoutMs, null, null, tags, null, failMode, broadcast));
    return id;
  }

  RouteResponse call(TestPeer peer, String method, Object args) throws Exception {
    return call(peer, method, args, 5000, null);
  }

  RouteResponse call(TestPeer peer, String method, Object args, long timeoutMs, String failMode) throws Exception {
    long id = send(peer, method, args, timeoutMs, failMode, false, null);
    RouteResponse r = peer.next(RouteResponse.class);
    if (r.rid() != id) {
      throw new AssertionError("expected the answer to " + id + " but got " + r);
    }
    return r;
  }

  /** The instance that answered a FlakyService call. */
  static String instanceOf(RouteResponse r) {
    return String.valueOf(ArgsCodec.decode(TestPeer.bytes(r.reply()), Map.class).get("Instance"));
  }

  static List<RouteResponse> collect(TestPeer peer, int n) throws Exception {
    List<RouteResponse> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(peer.next(RouteResponse.class));
    }
    return out;
  }
}
