package io.weft.service;

import static io.weft.service.FakeGate.innerRpc;
import static io.weft.service.FakeGate.join;
import static io.weft.service.FakeGate.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.client.CallOptions;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.codec.InnerRpc;
import io.weft.core.codec.RawValue;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.RouteRequest;
import io.weft.core.protocol.Envelope.RouteResponse;
import io.weft.core.protocol.Envelope.ServiceCall;
import io.weft.core.protocol.Envelope.ServiceReply;
import io.weft.service.CallingService.Forward;
import io.weft.service.CallingService.Later;
import io.weft.service.CallingService.Where;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Calls a service makes to other services (s2s), seen from the gates connected to its host: what
 * goes out on a gate link ({@code MSG_C2G_RPC_ROUTE}: trace, budget, round robin over the links),
 * and the one outcome of each call (the answer, 4, 14) on the caller's own context.
 */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class ServiceCallsIT {

  private final List<CallingService> instances = new ArrayList<>();

  private ServiceHost deploy(Vertx vertx, ServiceOptions options) {
    ServiceHost host = new ServiceHost(options, () -> {
      CallingService service = new CallingService();
      instances.add(service);
      return service;
    });
    join(vertx.deployVerticle(host));
    return host;
  }

  private static ServiceOptions options() {
    return new ServiceOptions().setNamespace("test").setName("caller").setHost("127.0.0.1");
  }

  /** Calls outside a handler, as {@code MeshService.calls()} makes them (the first instance only described the methods). */
  private ServiceCalls calls() {
    return instances.get(instances.size() - 1).calls();
  }

  private static Code codeOf(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    assertThat(cause).isInstanceOf(MeshException.class);
    return ((MeshException) cause).code();
  }

  private static void assertAdd(RouteRequest call, Map<String, Object> args) {
    byte[] bytes = new byte[call.innerRpc().readableBytes()];
    call.innerRpc().getBytes(call.innerRpc().readerIndex(), bytes);
    InnerRpc rpc = ArgsCodec.decodeInnerRpc(bytes);
    assertThat(rpc.method()).isEqualTo("Add");
    assertThat(ArgsCodec.decode(bytes, rpc.argsOffset(), rpc.argsLength(), Map.class)).isEqualTo(args);
  }

  @Test
  void aHandlersCallCarriesItsTraceAndAtMostTheBudgetItHasLeft(Vertx vertx) {
    FakeGate gate = FakeGate.connect(vertx, deploy(vertx, options()).actualPort());
    gate.send(new ServiceCall(101, innerRpc("Forward", new Forward(Map.of("A", 1, "B", 2), 0, null)), 2_000, null,
        "trace-1", null));

    RouteRequest call = gate.next(RouteRequest.class);
    assertThat(call.rid()).isNotZero();
    assertThat(call.namespace()).as("the caller's own namespace").isEqualTo("test");
    assertThat(call.serviceName()).isEqualTo("other");
    assertThat(call.trace()).isEqualTo("trace-1");
    assertThat(call.timeoutMs()).isBetween(1_000L, 2_000L);
    assertAdd(call, Map.of("A", 1, "B", 2));
    gate.answer(call, Map.of("Sum", 3));

    assertThat(value(gate.reply(101), Map.class)).isEqualTo(Map.of("Sum", 3));
  }

  @Test
  void callOptionsMayShortenTheBudgetAndSetTheTraceButNeverLengthenTheBudget(Vertx vertx) {
    FakeGate gate = FakeGate.connect(vertx, deploy(vertx, options()).actualPort());

    gate.send(new ServiceCall(1, innerRpc("Forward", new Forward(Map.of(), 5_000, "own")), 300, null, "parent", null));
    RouteRequest capped = gate.next(RouteRequest.class);
    gate.send(new ServiceCall(2, innerRpc("Forward", new Forward(Map.of(), 700, null)), 5_000, null, "parent", null));
    RouteRequest shortened = gate.next(RouteRequest.class);

    assertThat(capped.timeoutMs()).as("the parent has 300 ms left").isBetween(1L, 300L);
    assertThat(capped.trace()).isEqualTo("own");
    assertThat(shortened.timeoutMs()).isBetween(500L, 700L);
    assertThat(shortened.trace()).isEqualTo("parent");
  }

  @Test
  void callsOutsideAHandlerGetTheHostsDefaultBudgetAndNoTraceAndDecodeAsAsked(Vertx vertx) throws Exception {
    FakeGate gate = FakeGate.connect(vertx, deploy(vertx, options().setCallTimeoutMs(1_234)).actualPort());

    Future<Map> typed = calls().call("other", "Add", Map.of("A", 1), Map.class);
    RouteRequest call = gate.next(RouteRequest.class);
    assertThat(call.timeoutMs()).isBetween(1_000L, 1_234L);
    assertThat(call.trace()).isNull();
    gate.answer(call, Map.of("Sum", 1));
    assertThat(typed.await(5, TimeUnit.SECONDS)).isEqualTo(Map.of("Sum", 1));

    Future<RawValue> raw = calls().call("elsewhere", "other", "Add", Map.of(), RawValue.class);
    RouteRequest rawCall = gate.next(RouteRequest.class);
    assertThat(rawCall.namespace()).isEqualTo("elsewhere");
    gate.answer(rawCall, Map.of("Sum", 0));
    assertThat(raw.await(5, TimeUnit.SECONDS).bytes()).isEqualTo(ArgsCodec.encode(Map.of("Sum", 0)));

    Future<Void> ignored = calls().call("other", "Add", Map.of(), Void.class,
        CallOptions.DEFAULT.withTimeoutMs(5_000).withOrderKey("k").withHashKey("h").withTags(Map.of("zone", "a")));
    RouteRequest keyed = gate.next(RouteRequest.class);
    assertThat(List.of(keyed.orderKey(), keyed.hashKey())).containsExactly("k", "h");
    assertThat(keyed.tags()).isEqualTo(Map.of("zone", "a"));
    assertThat(keyed.timeoutMs()).as("the options' budget beats the default").isGreaterThan(1_234L);
    gate.answer(keyed, Map.of("Sum", 0));
    assertThat(ignored.await(5, TimeUnit.SECONDS)).isNull();

    calls().send("other", "Add", Map.of("A", 5));
    RouteRequest oneWay = gate.next(RouteRequest.class);
    assertThat(oneWay.rid()).isZero();
    assertAdd(oneWay, Map.of("A", 5));
  }

  @Test
  void anErrorAnswerFailsTheCallWithItsCodeWhichTheHandlerPassesOn(Vertx vertx) {
    FakeGate gate = FakeGate.connect(vertx, deploy(vertx, options()).actualPort());
    gate.send(new ServiceCall(7, innerRpc("Forward", new Forward(Map.of(), 0, null)), 2_000, null, null, null));

    RouteRequest call = gate.next(RouteRequest.class);
    gate.send(new RouteResponse(call.rid(), Code.UNAVAILABLE.value(), "no available instance of test/other", null));

    ServiceReply reply = gate.reply(7);
    assertThat(reply.code()).isEqualTo(Code.UNAVAILABLE.value());
    assertThat(reply.error()).isEqualTo("no available instance of test/other");
  }

  @Test
  void aCallMadeAfterTheHandlersBudgetRanOutFailsWith4WithoutBeingSent(Vertx vertx) throws Exception {
    FakeGate gate = FakeGate.connect(vertx, deploy(vertx, options()).actualPort());
    gate.send(new ServiceCall(9, innerRpc("Later", new Later(150)), 50, null, null, null));

    Envelope first = gate.next();
    assertThat(first).as("nothing goes out before the answer").isInstanceOf(ServiceReply.class);
    ServiceReply reply = (ServiceReply) first;
    assertThat(reply.grid()).isEqualTo(9);
    assertThat(reply.code()).isEqualTo(Code.DEADLINE_EXCEEDED.value());
    assertThat(reply.error()).contains("no budget left");
    // A call that went out would be the next frame; this one must not come.
    gate.send(new ServiceCall(10, innerRpc("Nope", Map.of()), Envelope.ABSENT, null, null, null));
    assertThat(gate.next()).isInstanceOf(ServiceReply.class);
  }

  @Test
  void withoutAGateLinkACallFailsWith14(Vertx vertx) {
    deploy(vertx, options());

    assertThatThrownBy(() -> calls().call("other", "Add", Map.of(), Map.class).await(5, TimeUnit.SECONDS))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Code.UNAVAILABLE))
        .hasMessageContaining("no gate connection");
  }

  @Test
  void losingAGateLinkFailsTheCallsInFlightOnItWith14AtOnce(Vertx vertx) throws Exception {
    ServiceHost host = deploy(vertx, options());
    FakeGate bystander = FakeGate.connect(vertx, host.actualPort());
    FakeGate lost = FakeGate.connect(vertx, host.actualPort());
    CallOptions patient = CallOptions.DEFAULT.withTimeoutMs(20_000);
    List<Future<Map>> onBystander = new ArrayList<>();
    List<Future<Map>> onLost = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      // Round robin over the links in the order they opened: the bystander's first.
      onBystander.add(calls().call("other", "Add", Map.of(), Map.class, patient));
      onLost.add(calls().call("other", "Add", Map.of(), Map.class, patient));
    }
    List<RouteRequest> bystanderCalls = List.of(bystander.next(RouteRequest.class), bystander.next(RouteRequest.class));
    lost.next(RouteRequest.class);
    lost.next(RouteRequest.class);

    long start = System.nanoTime();
    lost.close();

    for (Future<Map> call : onLost) {
      assertThatThrownBy(() -> call.await(5, TimeUnit.SECONDS))
          .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Code.UNAVAILABLE))
          .hasMessageContaining("lost");
    }
    assertThat((System.nanoTime() - start) / 1_000_000).as("ms to answer them").isLessThan(2_000);
    assertThat(onBystander).noneMatch(Future::isComplete);
    bystanderCalls.forEach(call -> bystander.answer(call, Map.of("Sum", 1)));
    for (Future<Map> call : onBystander) {
      assertThat(call.await(5, TimeUnit.SECONDS)).isEqualTo(Map.of("Sum", 1));
    }
  }

  @Test
  void aCallNobodyAnswersFailsWith4OnceItsBudgetRunsOut(Vertx vertx) {
    FakeGate gate = FakeGate.connect(vertx, deploy(vertx, options()).actualPort());
    long start = System.nanoTime();

    Future<Map> call = calls().call("other", "Add", Map.of(), Map.class, CallOptions.DEFAULT.withTimeoutMs(100));

    assertThat(gate.next(RouteRequest.class).timeoutMs()).isBetween(1L, 100L);
    assertThatThrownBy(() -> call.await(5, TimeUnit.SECONDS))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Code.DEADLINE_EXCEEDED));
    assertThat((System.nanoTime() - start) / 1_000_000).isBetween(100L, 2_000L);
  }

  @Test
  void callsAreSpreadRoundRobinOverTheOpenGateLinks(Vertx vertx) throws Exception {
    ServiceHost host = deploy(vertx, options());
    FakeGate a = FakeGate.connect(vertx, host.actualPort());
    FakeGate b = FakeGate.connect(vertx, host.actualPort());
    List<Future<Map>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(calls().call("other", "Add", Map.of("N", i), Map.class));
    }
    for (FakeGate gate : List.of(a, b, a, b)) {
      RouteRequest call = gate.next(RouteRequest.class);
      gate.answer(call, Map.of("Sum", call.rid()));
    }
    for (Future<Map> call : calls) {
      assertThat(call.await(5, TimeUnit.SECONDS)).containsKey("Sum");
    }
    b.close();
    Future<Map> afterLoss = calls().call("other", "Add", Map.of(), Map.class);
    RouteRequest onA = a.next(RouteRequest.class);
    a.answer(onA, Map.of("Sum", 0));
    assertThat(afterLoss.await(5, TimeUnit.SECONDS)).isEqualTo(Map.of("Sum", 0));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @EnumSource(value = ThreadingModel.class, names = {"EVENT_LOOP", "WORKER", "VIRTUAL_THREAD"})
  void theCallCompletesOnTheContextOfTheVerticleThatMadeIt(ThreadingModel threading, Vertx vertx) {
    FakeGate gate = FakeGate.connect(vertx, deploy(vertx, options().setThreading(threading)).actualPort());
    long grid = gate.send("Where", Map.of());

    gate.answer(gate.next(RouteRequest.class), Map.of("Sum", 42));

    Where where = value(gate.reply(grid), Where.class);
    assertThat(where.sum()).isEqualTo(42);
    assertThat(where.sameContext()).isTrue();
    if (threading != ThreadingModel.WORKER) {
      assertThat(where.sameThread()).isTrue();
    }
    assertThat(where.virtualThread()).isEqualTo(threading == ThreadingModel.VIRTUAL_THREAD);
  }

  @Test
  void stoppingTheHostFailsItsCallsInFlightWith14(Vertx vertx) {
    ServiceHost host = deploy(vertx, options());
    FakeGate gate = FakeGate.connect(vertx, host.actualPort());
    Future<Map> call = calls().call("other", "Add", Map.of(), Map.class);
    gate.next(RouteRequest.class);

    join(vertx.undeploy(host.deploymentID()));

    assertThatThrownBy(() -> call.await(5, TimeUnit.SECONDS))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Code.UNAVAILABLE));
    assertThatThrownBy(() -> calls().call("other", "Add", Map.of(), Map.class).await(5, TimeUnit.SECONDS))
        .satisfies(t -> assertThat(codeOf(t)).isEqualTo(Code.UNAVAILABLE))
        .hasMessageContaining("stopping");
  }
}
