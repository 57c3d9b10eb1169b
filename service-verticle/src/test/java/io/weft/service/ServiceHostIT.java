package io.weft.service;

import static io.weft.service.FakeGate.join;
import static io.weft.service.FakeGate.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.Code;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.codec.RawValue;
import io.weft.core.discovery.LocalServiceRegistry;
import io.weft.core.discovery.ServiceInstance;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.AccessReport;
import io.weft.core.protocol.Envelope.Caller;
import io.weft.core.protocol.Envelope.MethodAccess;
import io.weft.core.protocol.Envelope.ServiceCall;
import io.weft.core.protocol.Envelope.ServiceReply;
import io.weft.service.TestService.Add;
import io.weft.service.TestService.Fail;
import io.weft.service.TestService.Id;
import io.weft.service.TestService.Seen;
import io.weft.service.TestService.Slept;
import io.weft.service.TestService.Sum;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/**
 * {@link ServiceHost} over real sockets, seen from a gate: the access report, calls and their
 * answers, the codes of every failure PROTOCOL.md section 5 and 6 name, budgets, one-way calls and
 * registration.
 */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class ServiceHostIT {

  private ServiceHost host;
  private String deploymentId;
  private FakeGate gate;

  @BeforeEach
  void deploy(Vertx vertx) {
    host = new ServiceHost(new ServiceOptions().setNamespace("test").setName("svc").setHost("127.0.0.1"),
        TestService::new);
    deploymentId = join(vertx.deployVerticle(host));
    gate = FakeGate.connect(vertx, host.actualPort());
  }

  @Test
  void firstFrameIsTheAccessReportWithEveryMethodAndItsFlags() {
    assertThat(gate.first()).isInstanceOf(AccessReport.class);
    AccessReport report = (AccessReport) gate.first();
    assertThat(report.namespace()).isEqualTo("test");
    assertThat(report.serviceName()).isEqualTo("svc");
    assertThat(report.instance()).isEqualTo("127.0.0.1:" + host.actualPort()).isEqualTo(host.instanceId());
    MethodAccess none = new MethodAccess(false, false, false);
    Map<String, MethodAccess> expected = new HashMap<>();
    for (String method : List.of("Fail", "Throw", "Panic", "Coded", "Null", "Nothing", "Slow", "Note", "Record")) {
      expected.put(method, none);
    }
    expected.put("Echo", new MethodAccess(true, true, false));
    expected.put("Add", new MethodAccess(false, true, false));
    expected.put("Append", new MethodAccess(false, false, true));
    expected.put("Context", new MethodAccess(true, false, false));
    assertThat(report.rpcs()).isEqualTo(expected);
  }

  @Test
  void callIsAnsweredUnderItsGRid() {
    long grid = gate.send("Add", new Add(2, 3));

    ServiceReply reply = gate.next(ServiceReply.class);

    assertThat(reply.grid()).isEqualTo(grid);
    assertThat(reply.code()).isEqualTo(Code.OK.value());
    assertThat(reply.error()).isNull();
    assertThat(value(reply, Sum.class)).isEqualTo(new Sum(5));
  }

  @Test
  void echoAnswersItsArgsByteForByte() {
    byte[] args = ArgsCodec.encode(Map.of("Text", "hi", "N", List.of(1, 2, 3)));

    ServiceReply reply = gate.call("Echo", RawValue.of(args));

    assertThat(reply.code()).isZero();
    assertThat(ByteBufUtil.getBytes(reply.reply())).isEqualTo(args);
  }

  @Test
  void callsInFlightTogetherAreAllAnsweredEachUnderItsOwnGRid() {
    long slow = gate.send("Slow", Map.of("Ms", 300));
    Map<Long, Long> sums = new HashMap<>();
    for (long i = 0; i < 20; i++) {
      sums.put(gate.send("Add", new Add(i, 1000)), i + 1000);
    }

    Map<Long, ServiceReply> replies = new HashMap<>();
    for (int i = 0; i < 21; i++) {
      ServiceReply reply = gate.next(ServiceReply.class);
      assertThat(replies.put(reply.grid(), reply)).as("second reply to %d", reply.grid()).isNull();
    }

    assertThat(replies.keySet()).containsAll(sums.keySet()).contains(slow).hasSize(21);
    sums.forEach((grid, sum) -> assertThat(value(replies.get(grid), Sum.class)).isEqualTo(new Sum(sum)));
    assertThat(value(replies.get(slow), Slept.class)).isEqualTo(new Slept(300));
  }

  @Test
  void unknownMethodIsAnswered12() {
    ServiceReply reply = gate.call("NoSuchMethod", Map.of());

    assertThat(reply.code()).isEqualTo(Code.UNIMPLEMENTED.value());
    assertThat(reply.error()).contains("NoSuchMethod");
    assertThat(reply.reply()).isNull();
  }

  @Test
  void failedHandlerIsAnswered13WithTheFailureMessage() {
    ServiceReply failed = gate.call("Fail", new Fail("the disk is full"));
    ServiceReply threw = gate.call("Throw", new Fail("thrown, not returned"));

    assertThat(failed.code()).isEqualTo(Code.INTERNAL.value());
    assertThat(failed.error()).isEqualTo("the disk is full");
    assertThat(threw.code()).isEqualTo(Code.INTERNAL.value());
    assertThat(threw.error()).isEqualTo("thrown, not returned");
  }

  @Test
  void meshExceptionKeepsItsCodeAndMessage() {
    ServiceReply reply = gate.call("Coded", Map.of());

    assertThat(reply.code()).isEqualTo(Code.RESOURCE_EXHAUSTED.value());
    assertThat(reply.error()).isEqualTo("too many coded calls");
  }

  @Test
  void handlerReturningNullIsAnswered13() {
    ServiceReply reply = gate.call("Null", Map.of());

    assertThat(reply.code()).isEqualTo(Code.INTERNAL.value());
    assertThat(reply.error()).contains("Null", "returned null");
  }

  @Test
  void handlerCompletingWithoutValueIsAnsweredOkWithNil() {
    ServiceReply reply = gate.call("Nothing", Map.of());

    assertThat(reply.code()).isZero();
    assertThat(ByteBufUtil.getBytes(reply.reply())).containsExactly(0xc0);
  }

  @Test
  void argsThatDoNotMapToTheArgsTypeAreAnswered3() {
    ServiceReply wrongField = gate.call("Add", Map.of("A", "one", "B", 2));
    ServiceReply wrongShape = gate.call("Add", "not a map");
    ServiceReply good = gate.call("Add", new Add(1, 2));

    assertThat(wrongField.code()).isEqualTo(Code.INVALID_ARGUMENT.value());
    assertThat(wrongField.error()).contains("Add");
    assertThat(wrongShape.code()).isEqualTo(Code.INVALID_ARGUMENT.value());
    assertThat(good.code()).isZero();
  }

  static Stream<Arguments> malformedInnerRpcs() throws IOException {
    byte[] valid = ArgsCodec.encodeInnerRpc("Echo", 1);
    return Stream.of(
        Arguments.of("a bare int", new byte[] {0x2a}),
        Arguments.of("an array of 3", pack(p -> p.packArrayHeader(3).packString("Echo").packInt(1).packInt(2))),
        Arguments.of("an array of 1", pack(p -> p.packArrayHeader(1).packString("Echo"))),
        Arguments.of("a map", pack(p -> p.packMapHeader(1).packString("Echo").packInt(1))),
        Arguments.of("a method that is not a str", pack(p -> p.packArrayHeader(2).packInt(7).packNil())),
        Arguments.of("garbage bytes", new byte[] {(byte) 0xc1, (byte) 0xc1, 0x00}),
        Arguments.of("an empty bin", new byte[0]),
        Arguments.of("a truncated array", Arrays.copyOf(valid, valid.length - 1)),
        Arguments.of("bytes after the array", Arrays.copyOf(valid, valid.length + 1)));
  }

  @ParameterizedTest(name = "InnerRpc that is {0} is answered 3")
  @MethodSource("malformedInnerRpcs")
  void innerRpcThatIsNotAMethodArgsArrayIsAnswered3(String what, byte[] innerRpc) {
    gate.send(new ServiceCall(41, Unpooled.wrappedBuffer(innerRpc), Envelope.ABSENT, null, null, null));

    ServiceReply reply = gate.reply(41);

    assertThat(reply.code()).isEqualTo(Code.INVALID_ARGUMENT.value());
    assertThat(reply.error()).isNotBlank();
    assertThat(gate.call("Add", new Add(1, 1)).code()).as("the connection still works").isZero();
  }

  @Test
  void callWithoutInnerRpcIsAnswered3() {
    gate.send(new ServiceCall(42, null, Envelope.ABSENT, null, null, null));

    ServiceReply reply = gate.reply(42);

    assertThat(reply.code()).isEqualTo(Code.INVALID_ARGUMENT.value());
    assertThat(reply.error()).contains("InnerRpc");
  }

  @Test
  void callWithTimeout0IsAnswered4AndNeverRuns() {
    String id = UUID.randomUUID().toString();
    long expired = gate.send("Record", new Id(id), 0, null);

    ServiceReply reply = gate.reply(expired);
    // A later call through the same handler has run: the expired one would have run before it.
    ServiceReply later = gate.call("Record", new Id(id + "-later"));

    assertThat(reply.code()).isEqualTo(Code.DEADLINE_EXCEEDED.value());
    assertThat(later.code()).isZero();
    assertThat(TestService.RECORDED).contains(id + "-later").doesNotContain(id);
  }

  @Test
  void callWithBudgetLeftRuns() {
    String id = UUID.randomUUID().toString();

    ServiceReply reply = gate.reply(gate.send("Record", new Id(id), 5_000, null));

    assertThat(reply.code()).isZero();
    assertThat(TestService.RECORDED).contains(id);
  }

  /**
   * Fails: {@code ServiceHost.dispatch} computes the deadline as {@code nowMs() + Timeout}, which
   * overflows to a negative number for a Timeout near {@code Long.MAX_VALUE} (a uint on the wire
   * that a caller may use for "no practical limit"), so the call is refused with 4 before it runs.
   */
  @Test
  void callWithTheLargestTimeoutRuns() {
    ServiceReply reply = gate.reply(gate.send("Add", new Add(1, 2), Long.MAX_VALUE, null));

    assertThat(reply.code()).as("code of %s", reply).isZero();
  }

  @Test
  void oneWayCallRunsAndIsNeverAnswered() {
    String id = UUID.randomUUID().toString();
    gate.sendOneWay("Record", new Id(id));
    gate.sendOneWay("Fail", new Fail("nobody listens"));
    gate.sendOneWay("NoSuchMethod", Map.of());
    gate.send(new ServiceCall(0, Unpooled.wrappedBuffer(new byte[] {0x2a}), Envelope.ABSENT, null, null, null));

    long grid = gate.send("Add", new Add(20, 22));

    ServiceReply next = gate.next(ServiceReply.class);
    assertThat(next.grid()).as("the first frame after the one-way calls").isEqualTo(grid);
    assertThat(value(next, Sum.class)).isEqualTo(new Sum(42));
    assertThat(TestService.RECORDED).contains(id);
  }

  @Test
  void handlerSeesTheTraceOrderKeyCallerAndRemainingBudget() {
    Caller caller = new Caller("10.0.0.1:7000", "c-17", "player-9", "game-server");

    ServiceReply reply = gate.call("Context", Map.of(), 5_000, "room-3", "trace-abc", caller);

    Seen seen = value(reply, Seen.class);
    assertThat(seen.method()).isEqualTo("Context");
    assertThat(seen.trace()).isEqualTo("trace-abc");
    assertThat(seen.orderKey()).isEqualTo("room-3");
    assertThat(List.of(seen.gate(), seen.connId(), seen.clientId(), seen.client()))
        .containsExactly("10.0.0.1:7000", "c-17", "player-9", "game-server");
    assertThat(seen.remainingMs()).isBetween(1L, 5_000L);
    assertThat(seen.oneWay()).isFalse();
    assertThat(seen.instance()).isEqualTo(host.instanceId());
  }

  @Test
  void handlerOfACallWithoutBudgetSeesNoLimit() {
    Seen seen = value(gate.call("Context", Map.of()), Seen.class);

    assertThat(seen.remainingMs()).isEqualTo(Long.MAX_VALUE);
    assertThat(Arrays.asList(seen.gate(), seen.connId(), seen.clientId(), seen.client())).containsOnlyNulls();
  }

  @Test
  void instanceIsRegisteredWhileDeployedAndDeregisteredOnUndeploy(Vertx vertx) {
    LocalServiceRegistry registry = LocalServiceRegistry.get(vertx);
    assertThat(registry.instances()).extracting(ServiceInstance::serviceKey, ServiceInstance::id)
        .containsExactly(tuple("test/svc", "127.0.0.1:" + host.actualPort()));
    ServiceInstance instance = registry.instances().get(0);
    assertThat(instance.host()).isEqualTo("127.0.0.1");
    assertThat(instance.port()).isEqualTo(host.actualPort());

    join(vertx.undeploy(deploymentId));

    assertThat(registry.instances()).isEmpty();
    gate.awaitClosed();
  }

  private interface PackerWork {
    void accept(MessagePacker packer) throws IOException;
  }

  private static byte[] pack(PackerWork work) throws IOException {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      work.accept(packer);
      return packer.toByteArray();
    }
  }
}
