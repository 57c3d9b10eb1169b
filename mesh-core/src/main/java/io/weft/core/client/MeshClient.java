package io.weft.core.client;

import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.callback.CallbackTable;
import io.weft.core.client.impl.PendingCall;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.codec.CodecException;
import io.weft.core.conn.CloseReason;
import io.weft.core.conn.MeshConnection;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.AuthRequest;
import io.weft.core.protocol.Envelope.AuthResponse;
import io.weft.core.protocol.Envelope.RouteRequest;
import io.weft.core.protocol.Envelope.RouteResponse;
import java.util.Map;

/**
 * The Java client SDK: one long connection to a gate, many calls in flight on it.
 * <pre>{@code
 * MeshClient.connect(vertx, new MeshClientOptions().setPort(7001))
 *     .compose(client -> client.call("demo", "echo", "Echo", new Say("hi"), Say.class));
 * }</pre>
 * Every call gets exactly one outcome: the reply, or a {@link MeshException} carrying the wire
 * code (4 when its budget runs out, 14 when the connection is lost, the service's code
 * otherwise). The client answers the gate's heartbeats by itself.
 * <p>
 * Methods may be called from any thread; the connection's work runs on the context the client
 * was connected from (or a new event-loop context).
 */
public final class MeshClient {

  private static final Logger log = LoggerFactory.getLogger(MeshClient.class);
  /** Lines about a push carry its trace. */
  private static final io.weft.core.trace.CallLogger pushLog = io.weft.core.trace.CallLogger.get(MeshClient.class);

  private final Vertx vertx;
  private final ContextInternal context;
  private final MeshClientOptions options;
  private final NetClient netClient;
  private final CallbackTable<PendingCall> calls;
  private MeshConnection connection;
  private AuthResponse auth;
  private Promise<MeshClient> authPromise;
  private Handler<CloseReason> closeHandler;
  private Handler<Envelope.ErrorNotice> errorHandler;

  private MeshClient(Vertx vertx, ContextInternal context, MeshClientOptions options) {
    this.vertx = vertx;
    this.context = context;
    this.options = new MeshClientOptions(options);
    NetClientOptions netOptions = new NetClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.getConnectTimeoutMs()))
        .setTcpNoDelay(true);
    if (options.getTls() != null) {
      options.getTls().applyTo(netOptions);
    }
    this.netClient = vertx.createNetClient(netOptions);
    this.calls = new CallbackTable<>(vertx, options.getTickMs(), this::expired);
  }

  /** Connects (and authenticates, when the options carry a token). */
  public static Future<MeshClient> connect(Vertx vertx, MeshClientOptions options) {
    // Socket I/O belongs on an event loop, even when the caller is a worker or a virtual thread.
    ContextInternal current = ContextInternal.current();
    ContextInternal context = current != null && current.isEventLoopContext()
        ? current : ((VertxInternal) vertx).createEventLoopContext();
    Promise<MeshClient> promise = Promise.promise();
    context.runOnContext(v -> new MeshClient(vertx, context, options).start(promise));
    return promise.future();
  }

  private void start(Promise<MeshClient> promise) {
    netClient.connect(options.getPort(), options.getHost()).onComplete(ar -> {
      if (ar.failed()) {
        netClient.close();
        promise.fail(MeshException.of(Code.UNAVAILABLE,
            "cannot connect to " + options.getHost() + ":" + options.getPort() + ": " + ar.cause().getMessage()));
        return;
      }
      connection = MeshConnection.attach(ar.result(), options.getConnection(), this::handle);
      connection.closeHandler(this::closed);
      if (options.getToken() == null) {
        promise.complete(this);
        return;
      }
      authPromise = promise;
      long timer = vertx.setTimer(options.getConnectTimeoutMs(), t -> {
        if (authPromise != null) {
          failAuth(MeshException.quiet(Code.DEADLINE_EXCEEDED, "no MSG_G2C_AUTH_RSP within "
              + options.getConnectTimeoutMs() + " ms"));
        }
      });
      promise.future().onComplete(x -> vertx.cancelTimer(timer));
      connection.send(new AuthRequest(1, options.getToken(), options.getClientLabel()));
    });
  }

  private void failAuth(MeshException e) {
    Promise<MeshClient> p = authPromise;
    authPromise = null;
    connection.close();
    netClient.close();
    p.tryFail(e);
  }

  /**
   * Calls {@code namespace/service.method} with {@code args} and decodes the reply as
   * {@code replyType} ({@code byte[]} or {@link io.weft.core.codec.RawValue} for the raw
   * MessagePack, {@code Void} to ignore it).
   */
  public <T> Future<T> call(String namespace, String service, String method, Object args, Class<T> replyType) {
    return call(namespace, service, method, args, replyType, CallOptions.DEFAULT);
  }

  public <T> Future<T> call(String namespace, String service, String method, Object args, Class<T> replyType,
                            CallOptions callOptions) {
    byte[] innerRpc;
    try {
      innerRpc = ArgsCodec.encodeInnerRpc(method, args);
    } catch (CodecException e) {
      return Future.failedFuture(MeshException.of(Code.INVALID_ARGUMENT, e.getMessage()));
    }
    Promise<T> promise = Promise.promise();
    submit(namespace, service, innerRpc, callOptions, new PendingCall(promise, replyType));
    return promise.future();
  }

  /**
   * Calls with an already encoded {@code InnerRpc} ({@code [method, args]}); the reply is the raw
   * MessagePack bytes of the result.
   */
  public Future<byte[]> callRaw(String namespace, String service, byte[] innerRpc, CallOptions callOptions) {
    Promise<byte[]> promise = Promise.promise();
    submit(namespace, service, innerRpc, callOptions, new PendingCall(promise, byte[].class));
    return promise.future();
  }

  /**
   * Calls every instance of the service (those carrying {@code callOptions}' tags: a multicast)
   * and gathers their answers, by instance id. The future fails only when the call as a whole
   * does (no instance, budget run out before routing, connection lost); each instance's own
   * failure is in its {@link BroadcastReply}.
   */
  public <T> Future<Map<String, BroadcastReply<T>>> broadcast(String namespace, String service, String method,
                                                            Object args, Class<T> replyType, CallOptions callOptions) {
    byte[] innerRpc;
    try {
      innerRpc = ArgsCodec.encodeInnerRpc(method, args);
    } catch (CodecException e) {
      return Future.failedFuture(MeshException.of(Code.INVALID_ARGUMENT, e.getMessage()));
    }
    Promise<byte[]> promise = Promise.promise();
    submit(namespace, service, innerRpc, callOptions, new PendingCall(promise, byte[].class), true);
    return promise.future().compose(bytes -> {
      try {
        return Future.succeededFuture(BroadcastReply.decodeAll(bytes, replyType));
      } catch (CodecException e) {
        return Future.failedFuture(MeshException.of(Code.INTERNAL, "cannot decode the broadcast reply: " + e.getMessage()));
      }
    });
  }

  /** A one-way call ({@code Rid} 0): nothing answers it, not even an error. */
  public void send(String namespace, String service, String method, Object args, CallOptions callOptions) {
    byte[] innerRpc = ArgsCodec.encodeInnerRpc(method, args);
    submit(namespace, service, innerRpc, callOptions, null);
  }

  private void submit(String namespace, String service, byte[] innerRpc, CallOptions callOptions,
                      PendingCall pending) {
    submit(namespace, service, innerRpc, callOptions, pending, false);
  }

  private void submit(String namespace, String service, byte[] innerRpc, CallOptions callOptions,
                      PendingCall pending, boolean broadcast) {
    if (!context.nettyEventLoop().inEventLoop()) {
      context.runOnContext(v -> submit(namespace, service, innerRpc, callOptions, pending, broadcast));
      return;
    }
    if (connection == null || !connection.isOpen()) {
      if (pending != null) {
        pending.fail(MeshException.quiet(Code.UNAVAILABLE, "connection to the gate is closed"));
      }
      return;
    }
    long timeout = callOptions.timeoutMs() > 0 ? callOptions.timeoutMs() : options.getCallTimeoutMs();
    long rid = 0;
    if (pending != null) {
      rid = calls.add(pending, timeout + PendingCall.LOCAL_DEADLINE_GRACE_MS);
    }
    connection.send(new RouteRequest(rid, namespace, service, Unpooled.wrappedBuffer(innerRpc), timeout,
        callOptions.orderKey(), callOptions.hashKey(), callOptions.tags(), callOptions.trace(),
        callOptions.failMode() == null ? null : callOptions.failMode().wireName(), broadcast));
  }

  private void handle(Envelope envelope) {
    switch (envelope) {
      case RouteResponse r -> answered(r);
      case Envelope.ClientPush p -> pushed(p);
      case AuthResponse a -> authenticated(a);
      case Envelope.ErrorNotice n -> {
        Handler<Envelope.ErrorNotice> h = errorHandler;
        if (h != null) {
          h.handle(n);
        } else {
          log.warn("Gate reports error " + n.code() + ": " + n.error());
        }
      }
      default -> log.debug("Ignoring " + envelope.type() + " from the gate");
    }
  }

  private void authenticated(AuthResponse a) {
    Promise<MeshClient> p = authPromise;
    if (p == null) {
      return;
    }
    if (a.code() != 0) {
      failAuth(MeshException.fromWire(a.code(), a.error()));
      return;
    }
    authPromise = null;
    auth = a;
    p.tryComplete(this);
  }

  /**
   * Logs {@code clientId} in on this connection (several may be): pushes to it come here, and a
   * login elsewhere later wins (this connection then receives a {@code Kicked} push).
   */
  public Future<Void> login(String clientId) {
    return loginOrLogoff(clientId, true);
  }

  /** Logs {@code clientId} off this connection. */
  public Future<Void> logoff(String clientId) {
    return loginOrLogoff(clientId, false);
  }

  private Future<Void> loginOrLogoff(String clientId, boolean login) {
    Promise<Void> promise = Promise.promise();
    PendingCall pending = new PendingCall(promise, Void.class);
    context.runOnContext(v -> {
      if (connection == null || !connection.isOpen()) {
        pending.fail(MeshException.quiet(Code.UNAVAILABLE, "connection to the gate is closed"));
        return;
      }
      long rid = calls.add(pending, options.getCallTimeoutMs() + PendingCall.LOCAL_DEADLINE_GRACE_MS);
      connection.send(login ? new Envelope.LoginRequest(rid, clientId) : new Envelope.LogoffRequest(rid, clientId));
    });
    return promise.future();
  }

  /**
   * Handles pushes of {@code method}, decoding their args as {@code argsType}; safe pushes are
   * acknowledged after the handler's future succeeds.
   */
  public <T> MeshClient onPush(String method, Class<T> argsType, PushHandler<T> handler) {
    pushHandlers.put(method, new PushRoute<>(argsType, handler));
    return this;
  }

  private record PushRoute<T>(Class<T> argsType, PushHandler<T> handler) {
    Future<?> handle(String clientId, String pushId, io.weft.core.codec.InnerRpc rpc) {
      T args = ArgsCodec.decode(rpc.bytes(), rpc.argsOffset(), rpc.argsLength(), argsType);
      return handler.handle(clientId, pushId, args);
    }
  }

  private final Map<String, PushRoute<?>> pushHandlers = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile PushHandler<io.weft.core.codec.InnerRpc> anyPushHandler;

  /**
   * Handles pushes of every method without a handler of its own, as the raw {@code [method, args]}
   * (tools that show whatever arrives).
   */
  public MeshClient onAnyPush(PushHandler<io.weft.core.codec.InnerRpc> handler) {
    this.anyPushHandler = handler;
    return this;
  }

  private void pushed(Envelope.ClientPush push) {
    if (push.innerRpc() == null) {
      return;
    }
    io.weft.core.codec.InnerRpc rpc;
    try {
      rpc = ArgsCodec.decodeInnerRpc(io.netty.buffer.ByteBufUtil.getBytes(push.innerRpc()));
    } catch (CodecException e) {
      pushLog.warn(push.trace(), "Ignoring a malformed push: " + e.getMessage());
      return;
    }
    if (GateDraining.METHOD.equals(rpc.method())) {
      draining(rpc);
      return;
    }
    PushRoute<?> route = pushHandlers.get(rpc.method());
    PushHandler<io.weft.core.codec.InnerRpc> any = anyPushHandler;
    if (route == null && any == null) {
      pushLog.warn(push.trace(), "No handler for pushes of " + rpc.method() + " (push " + push.pushId() + " to "
          + push.clientId() + ")");
      return;
    }
    String clientId = push.clientId();
    String pushId = push.pushId();
    Future<?> handled;
    try {
      handled = route != null ? route.handle(clientId, pushId, rpc) : any.handle(clientId, pushId, rpc);
    } catch (RuntimeException e) {
      handled = Future.failedFuture(e);
    }
    if (handled == null) {
      handled = Future.failedFuture(new IllegalStateException("push handler returned null"));
    }
    handled.onComplete(ar -> {
      if (ar.failed()) {
        pushLog.warn(push.trace(), "Push " + pushId + " of " + rpc.method() + " to " + clientId + " failed: "
            + ar.cause().getMessage());
      } else if (pushId != null && !pushId.isEmpty()) {
        context.runOnContext(v -> {
          if (connection != null && connection.isOpen()) {
            connection.send(new Envelope.PushReply(clientId, pushId));
          }
        });
      }
    });
  }

  private volatile Handler<GateDraining> drainingHandler;

  /**
   * Called when the gate starts draining (it is shutting down): connect to another gate within
   * {@link GateDraining#graceMs()} and send new calls there; calls in flight here are still
   * answered. Without a handler the notice is logged.
   */
  public MeshClient onDraining(Handler<GateDraining> handler) {
    this.drainingHandler = handler;
    return this;
  }

  private void draining(io.weft.core.codec.InnerRpc rpc) {
    GateDraining notice;
    try {
      notice = ArgsCodec.decode(rpc.bytes(), rpc.argsOffset(), rpc.argsLength(), GateDraining.class);
    } catch (CodecException e) {
      log.warn("Ignoring a malformed Draining push: " + e.getMessage());
      return;
    }
    Handler<GateDraining> h = drainingHandler;
    if (h != null) {
      h.handle(notice);
    } else {
      log.info("Gate " + notice.gate() + " is draining: it closes this connection within " + notice.graceMs() + " ms");
    }
  }

  private void answered(RouteResponse r) {
    PendingCall pending = calls.complete(r.rid());
    if (pending != null) {
      pending.answered(r);
    }
  }

  private void expired(PendingCall pending) {
    pending.fail(MeshException.quiet(Code.DEADLINE_EXCEEDED, "no reply within the call's budget"));
  }

  private void closed(CloseReason reason) {
    MeshException lost = MeshException.quiet(Code.UNAVAILABLE, "connection to the gate closed: " + reason);
    calls.close(p -> p.fail(lost));
    if (authPromise != null) {
      Promise<MeshClient> p = authPromise;
      authPromise = null;
      p.tryFail(MeshException.quiet(Code.UNAUTHENTICATED, "the gate closed the connection during auth: " + reason));
    }
    netClient.close();
    Handler<CloseReason> h = closeHandler;
    if (h != null) {
      h.handle(reason);
    }
  }

  /** Called once when the connection closes, on the client's context. */
  public MeshClient closeHandler(Handler<CloseReason> handler) {
    this.closeHandler = handler;
    return this;
  }

  /** Receives {@code MSG_ERROR} notices from the gate (logged when no handler is set). */
  public MeshClient errorHandler(Handler<Envelope.ErrorNotice> handler) {
    this.errorHandler = handler;
    return this;
  }

  /** The gate's answer to authentication, or {@code null} on an internal gate. */
  public AuthResponse auth() {
    return auth;
  }

  public boolean isOpen() {
    return connection != null && connection.isOpen();
  }

  /** Calls waiting for an answer. */
  public int inFlight() {
    return calls.size();
  }

  /** Answers that came after their call had already expired. */
  public long lateAnswers() {
    return calls.lateAnswers();
  }

  public Context context() {
    return context;
  }

  public Future<Void> close() {
    Promise<Void> promise = Promise.promise();
    context.runOnContext(v -> {
      if (connection == null) {
        netClient.close().onComplete(promise);
      } else {
        connection.close().onComplete(x -> promise.complete());
      }
    });
    return promise.future();
  }
}
