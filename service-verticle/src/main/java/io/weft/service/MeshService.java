package io.weft.service;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.codec.CodecException;
import io.weft.core.trace.CallLogger;
import io.weft.service.impl.EventDelivery;
import io.weft.service.impl.GateCalls;
import io.weft.service.impl.HandOff;
import io.weft.service.impl.HostEvents;
import io.weft.service.impl.Invocation;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * The base of business services. A service declares its methods and nothing else:
 * <pre>{@code
 * public class Chat extends MeshService {
 *   protected void configure(Rpcs r) {
 *     r.on("Say", Say.class, this::say).publicAccess();
 *   }
 *   private Future<Said> say(RpcContext ctx, Say args) { ... }
 * }
 * }</pre>
 * A {@link ServiceHost} deploys instances of it as verticles and hands them calls, each run on the
 * verticle's own context. On a virtual-thread deployment ({@code "threading": "virtual-thread"})
 * a handler may block on other calls with {@code Future.await()}.
 * <p>
 * A handler calls other services through its {@link RpcContext} ({@code ctx.call("echo", "Echo",
 * args, Reply.class)}), which passes on the call's trace and remaining budget; work outside a
 * handler calls through {@link #calls()}.
 * <p>
 * It may also subscribe to event topics in {@code configure}
 * ({@code r.subscribe("gift.sent", GiftSent.class, this::onGift)}; its instances share the
 * events, each handled at least once) and publish them ({@code ctx.publish(topic, event)}, or
 * {@code calls().publish} outside a handler); both need Redis ({@code events.redis}).
 * <p>
 * Failures are answered with a code: a {@link MeshException} keeps its own; args that cannot be
 * decoded are 3; anything else a handler throws or fails with is 13 with its message; a call whose
 * budget ran out before its handler started is 4 and never runs.
 * <p>
 * While a handler runs, until it returns (awaits included, on a virtual-thread deployment), the
 * SLF4J MDC holds its call's trace id as {@code trace_id}, so that what the handler logs carries
 * it; callbacks that run later do not have it (log with {@code ctx.traceId()} there).
 */
public abstract class MeshService extends VerticleBase {

  private static final CallLogger callLog = CallLogger.get(MeshService.class);

  private Rpcs rpcs;
  private String address;
  private boolean sequential;
  private GateCalls calls;
  private HandOff handOff;
  private HandOff.Receiver receiver;
  private MessageConsumer<EventDelivery> eventConsumer;
  private final ArrayDeque<Invocation> queue = new ArrayDeque<>();
  private boolean busy;

  /** Declares the service's methods. Runs before the verticle starts: declare, do no work. */
  protected abstract void configure(Rpcs rpcs);

  /** Runs once when this verticle instance starts, before it takes calls. */
  protected Future<?> setUp() {
    return Future.succeededFuture();
  }

  /** Runs once when this verticle instance stops, after it stopped taking calls. */
  protected Future<?> tearDown() {
    return Future.succeededFuture();
  }

  /** The methods as {@link #configure} declares them. */
  public final Map<String, MethodSpec> describe() {
    return declared(null).all();
  }

  /**
   * Everything {@link #configure} declares (methods, subscriptions, interceptors), on an instance
   * not deployed: its {@link #config()} is then {@code config}, so that a service may take, say, a
   * topic from its config.
   */
  final Rpcs declared(JsonObject config) {
    this.undeployedConfig = config == null ? new JsonObject() : config;
    Rpcs declared = new Rpcs();
    configure(declared);
    return declared;
  }

  private JsonObject undeployedConfig = new JsonObject();

  /** The service's {@code config} section; also in {@link #configure} before the instance is deployed. */
  @Override
  public JsonObject config() {
    return context == null ? undeployedConfig : super.config();
  }

  /**
   * Calls to other services made outside a handler (a timer, {@link #setUp()}): they carry no
   * trace and get the host's {@code callTimeoutMs} unless their {@code CallOptions} set a budget.
   * In a handler, call through its {@link RpcContext} instead, so that the call carries on the
   * trace and never outlives the budget of the call being handled.
   *
   * @throws IllegalStateException before the verticle is deployed by a {@link ServiceHost}
   */
  protected final ServiceCalls calls() {
    if (calls == null) {
      throw new IllegalStateException("calls() is usable once a ServiceHost deploys " + getClass().getName());
    }
    return calls;
  }

  /**
   * Tells this instance where its calls arrive, whether it handles them one at a time, and how it
   * calls other services.
   */
  /** The host's links, then the service's own: one list, built at start. */
  private java.util.List<ServiceInterceptor> chain = java.util.List.of();
  private java.util.List<ServiceInterceptor> hostInterceptors = java.util.List.of();

  private Future<Object> intercepted(MethodSpec spec, Invocation inv, Object args, int index) throws Exception {
    if (index == chain.size()) {
      return spec.handler().handle(inv, args);
    }
    Future<Object> result = chain.get(index).intercept(inv, args, () -> intercepted(spec, inv, args, index + 1));
    return result == null
        ? Future.failedFuture(new IllegalStateException("interceptor " + chain.get(index) + " returned null"))
        : result;
  }

  /** Gives this instance the host's interceptors, run outside the service's own. */
  final void hostInterceptors(java.util.List<ServiceInterceptor> interceptors) {
    this.hostInterceptors = java.util.List.copyOf(interceptors);
  }

  final void bind(String address, boolean sequential, GateCalls calls, HandOff handOff) {
    this.handOff = handOff;
    this.address = address;
    this.sequential = sequential;
    this.calls = calls;
  }

  @Override
  public final Future<?> start() {
    if (address == null) {
      return Future.failedFuture(new IllegalStateException(
          getClass().getName() + " is deployed by a ServiceHost, not on its own"));
    }
    rpcs = new Rpcs();
    configure(rpcs);
    java.util.List<ServiceInterceptor> links = new java.util.ArrayList<>(hostInterceptors);
    links.addAll(rpcs.interceptors());
    chain = java.util.List.copyOf(links);
    return setUp().compose(v -> {
      receiver = handOff.register(address, (ContextInternal) context, this::receive);
      if (rpcs.subscriptions().isEmpty()) {
        return Future.succeededFuture();
      }
      eventConsumer = vertx.eventBus().localConsumer(address + HostEvents.EVENTS_SUFFIX, this::deliver);
      return eventConsumer.completion();
    });
  }

  @Override
  public final Future<?> stop() {
    if (handOff != null) {
      handOff.unregister(receiver);
      receiver = null;
    }
    Future<Void> events = eventConsumer == null ? Future.succeededFuture() : eventConsumer.unregister();
    return events.compose(v -> tearDown());
  }

  /**
   * Runs an event's handler. Events are not queued behind this verticle's calls: the host sends an
   * ordered subscription's events to a lane's worker one at a time.
   */
  @SuppressWarnings("unchecked")
  private void deliver(Message<EventDelivery> message) {
    EventDelivery delivery = message.body();
    SubscriptionSpec<Object> spec = (SubscriptionSpec<Object>) rpcs.subscriptions().get(delivery.topic());
    Future<?> handled;
    CallLogger.enter(delivery.trace());
    try {
      handled = spec == null
          ? Future.failedFuture(new IllegalStateException("no handler for topic " + delivery.topic()))
          : spec.handler().handle(delivery, delivery.event());
      if (handled == null) {
        handled = Future.failedFuture(new IllegalStateException("the handler of " + delivery.topic() + " returned null"));
      }
    } catch (Throwable t) {
      handled = Future.failedFuture(t);
    } finally {
      CallLogger.leave(delivery.trace());
    }
    handled.onComplete(delivery::done);
  }

  private void receive(Invocation invocation) {
    if (!sequential) {
      run(invocation);
      return;
    }
    queue.add(invocation);
    if (!busy) {
      runNext();
    }
  }

  /**
   * Runs queued calls one after another: each starts when the previous one has answered. Calls
   * answered at once (synchronous handlers, calls whose budget ran out in the queue) are run in
   * a loop, so a long backlog cannot grow the stack.
   */
  private void runNext() {
    busy = true;
    Invocation next;
    while ((next = queue.poll()) != null) {
      Future<Void> done = run(next);
      if (!done.isComplete()) {
        done.onComplete(ar -> runNext());
        return;
      }
    }
    busy = false;
  }

  private Future<Void> run(Invocation inv) {
    MethodSpec spec = rpcs.get(inv.method());
    if (spec == null) {
      return answer(inv, Code.UNIMPLEMENTED, "unknown method " + inv.method(), null);
    }
    if (inv.expired()) {
      return answer(inv, Code.DEADLINE_EXCEEDED, "deadline exceeded before the handler started", null);
    }
    Object args;
    try {
      args = ArgsCodec.decode(inv.bytes(), inv.argsOffset(), inv.argsLength(), spec.argsType());
    } catch (CodecException e) {
      return answer(inv, Code.INVALID_ARGUMENT, "bad args for " + inv.method() + ": " + e.getMessage(), null);
    }
    if (args == null && spec.argsType() != Void.class) {
      return answer(inv, Code.INVALID_ARGUMENT, "args of " + inv.method() + " are missing (nil)", null);
    }
    Future<Object> result;
    CallLogger.enter(inv.trace());
    try {
      result = chain.isEmpty() ? spec.handler().handle(inv, args) : intercepted(spec, inv, args, 0);
      if (result == null) {
        result = Future.failedFuture(new IllegalStateException("handler of " + inv.method() + " returned null"));
      }
    } catch (Throwable t) {
      // Whatever a handler throws, even an Error, is its call's failure: the call is answered and
      // the worker that ran it keeps serving.
      result = Future.failedFuture(t);
    } finally {
      CallLogger.leave(inv.trace());
    }
    return result.transform(ar -> {
      if (ar.succeeded()) {
        byte[] reply;
        try {
          reply = ArgsCodec.encode(ar.result());
        } catch (CodecException e) {
          return answer(inv, Code.INTERNAL, "cannot encode the reply of " + inv.method() + ": " + e.getMessage(), null);
        }
        return answer(inv, Code.OK, null, reply);
      }
      Throwable failure = ar.cause();
      if (failure instanceof MeshException me) {
        return answer(inv, me.code(), me.getMessage(), null);
      }
      if (callLog.isDebugEnabled()) {
        callLog.debug(inv.trace(), "Handler of " + inv.method() + " failed", failure);
      }
      String message = failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage();
      return answer(inv, Code.INTERNAL, message, null);
    });
  }

  /** Reports every call's end to its host, one-way ones too: the host counts calls running. */
  private Future<Void> answer(Invocation inv, Code code, String error, byte[] reply) {
    handOff.send(inv.replyAddress(), inv.outcome(code.value(), error, inv.oneWay() ? null : reply));
    return Future.succeededFuture();
  }
}
