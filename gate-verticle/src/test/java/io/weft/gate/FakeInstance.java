package io.weft.gate;

import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.weft.core.Code;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.conn.ConnectionOptions;
import io.weft.core.conn.MeshConnection;
import io.weft.core.discovery.Registration;
import io.weft.core.discovery.RegistryOptions;
import io.weft.core.discovery.ServiceInstance;
import io.weft.core.discovery.ServiceRegistries;
import io.weft.core.discovery.ServiceRegistry;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.AccessReport;
import io.weft.core.protocol.Envelope.MethodAccess;
import io.weft.core.protocol.Envelope.ServiceCall;
import io.weft.core.protocol.Envelope.ServiceReply;
import io.weft.core.protocol.MessageType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays a service instance towards a gate, registered in the in-JVM registry: it reports the
 * methods it is given and hands back every call as a draining instance does ({@code Code} 14 with
 * {@code Refused}), or hands back another call than the one sent. It keeps the names of the other
 * messages gates send it.
 */
final class FakeInstance implements AutoCloseable {

  /** How it answers calls. */
  enum Mode {
    /** Code 14 and the call's own {@code InnerRpc} in {@code Refused}. */
    REFUSE,
    /** Code 14 and, in {@code Refused}, a call of another method. */
    REFUSE_ANOTHER_CALL
  }

  private final Mode mode;
  private final AtomicInteger calls = new AtomicInteger();
  private final List<MessageType> received = new CopyOnWriteArrayList<>();
  private final List<MeshConnection> links = new CopyOnWriteArrayList<>();
  private NetServer server;
  private ServiceRegistry registry;
  private Registration registration;
  private String id;
  private AccessReport report;

  private FakeInstance(Mode mode) {
    this.mode = mode;
  }

  static FakeInstance start(Vertx vertx, String namespace, String service, Map<String, MethodAccess> methods, Mode mode)
      throws Exception {
    FakeInstance fake = new FakeInstance(mode);
    fake.server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0))
        .connectHandler(socket -> {
          MeshConnection[] link = new MeshConnection[1];
          // Frames are read once this handler has returned: by then the link is known.
          link[0] = MeshConnection.attach(socket, new ConnectionOptions(), e -> fake.received(link[0], e));
          fake.links.add(link[0]);
          link[0].send(fake.report);
        });
    int port = fake.server.listen().await(5, TimeUnit.SECONDS).actualPort();
    ServiceInstance instance = new ServiceInstance(namespace, service, null, "127.0.0.1", port, 1, Map.of(), "",
        System.currentTimeMillis());
    fake.id = instance.id();
    fake.report = new AccessReport(namespace, service, fake.id, methods);
    fake.registry = ServiceRegistries.create(vertx, new RegistryOptions());
    fake.registration = fake.registry.register(instance).await(5, TimeUnit.SECONDS);
    return fake;
  }

  private void received(MeshConnection link, Envelope envelope) {
    if (!(envelope instanceof ServiceCall call)) {
      received.add(envelope.type());
      return;
    }
    calls.incrementAndGet();
    if (call.grid() == 0) {
      return;
    }
    var refused = mode == Mode.REFUSE ? call.innerRpc()
        : Unpooled.wrappedBuffer(ArgsCodec.encodeInnerRpc("SomethingElse", Map.of()));
    // Sent while the call's frame is valid: the refused bytes are copied into the reply's frame.
    link.send(new ServiceReply(call.grid(), Code.UNAVAILABLE.value(), "instance " + id + " is draining", null, refused));
  }

  /** Sends {@code envelope} on every gate connection. */
  void sendToGates(Envelope envelope) {
    links.forEach(link -> link.send(envelope));
  }

  String id() {
    return id;
  }

  /** Calls the gates sent. */
  int calls() {
    return calls.get();
  }

  /** Names of the messages other than calls the gates sent. */
  List<MessageType> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() throws Exception {
    registration.deregister().await(5, TimeUnit.SECONDS);
    registry.close().await(5, TimeUnit.SECONDS);
    server.close().await(5, TimeUnit.SECONDS);
  }
}
