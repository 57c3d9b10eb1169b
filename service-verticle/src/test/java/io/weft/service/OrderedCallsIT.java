package io.weft.service;

import static io.weft.service.FakeGate.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.Code;
import io.weft.core.codec.RawValue;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.ServiceReply;
import io.weft.service.TestService.Add;
import io.weft.service.TestService.Entry;
import io.weft.service.TestService.Fail;
import io.weft.service.TestService.Id;
import io.weft.service.TestService.Slow;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ordered calls through a {@link ServiceHost}: calls with one {@code OrderKey}, or to a method
 * declared ordered, run one at a time in sending order on one of the ordered workers, without
 * holding up anything else, and a call that waited in a worker's queue past its budget never runs.
 * <p>
 * {@code Append} and {@code Note} take 1-5 ms each on a timer: calls that were not serialized
 * would overlap and finish out of order.
 */
@ExtendWith(VertxExtension.class)
@Timeout(30)
class OrderedCallsIT {

  private FakeGate gate;

  private static ServiceOptions options() {
    return new ServiceOptions().setNamespace("test").setName("svc").setHost("127.0.0.1");
  }

  @BeforeEach
  void deploy(Vertx vertx) {
    ServiceHost host = new ServiceHost(options(), TestService::new);
    join(vertx.deployVerticle(host));
    gate = FakeGate.connect(vertx, host.actualPort());
  }

  @Test
  void callsWithOneOrderKeyRunOneAtATimeInSendingOrder() {
    assertFiftyKeyedNotesRunInOrder(gate);
  }

  @Test
  void callsWithOneOrderKeyRunInOrderOnVirtualThreadsWithSeveralHandlers(Vertx vertx) {
    ServiceHost host = new ServiceHost(options().setThreading(ThreadingModel.VIRTUAL_THREAD).setHandlers(4),
        TestService::new);
    join(vertx.deployVerticle(host));

    assertFiftyKeyedNotesRunInOrder(FakeGate.connect(vertx, host.actualPort()));
  }

  private static void assertFiftyKeyedNotesRunInOrder(FakeGate gate) {
    String key = unique("order");
    List<Long> grids = new ArrayList<>();
    for (long i = 0; i < 50; i++) {
      grids.add(gate.send("Note", new Entry(key, i), Envelope.ABSENT, key));
    }

    grids.forEach(grid -> assertThat(gate.reply(grid).code()).isZero());

    assertThat(TestService.completed(key)).containsExactlyElementsOf(LongStream.range(0, 50).boxed().toList());
    assertThat(TestService.maxRunning(key)).isEqualTo(1);
  }

  @Test
  void callsWithoutOrderKeyToAnUnorderedMethodOverlap() {
    // The control of the test above: without a key, the same calls do run concurrently.
    String key = unique("unordered");
    List<Long> grids = new ArrayList<>();
    for (long i = 0; i < 50; i++) {
      grids.add(gate.send("Note", new Entry(key, i)));
    }

    grids.forEach(grid -> assertThat(gate.reply(grid).code()).isZero());

    assertThat(TestService.completed(key)).hasSize(50);
    assertThat(TestService.maxRunning(key)).isGreaterThan(1);
  }

  @Test
  void methodDeclaredOrderedRunsItsCallsWithoutOrderKeyOneAtATime() {
    String key = unique("declared");
    List<Long> grids = new ArrayList<>();
    for (long i = 0; i < 30; i++) {
      grids.add(gate.send("Append", new Entry(key, i)));
    }

    grids.forEach(grid -> assertThat(gate.reply(grid).code()).isZero());

    assertThat(TestService.completed(key)).containsExactlyElementsOf(LongStream.range(0, 30).boxed().toList());
    assertThat(TestService.maxRunning(key)).isEqualTo(1);
  }

  @Test
  void slowOrderedCallHoldsUpNeitherUnorderedCallsNorCallsWithAnotherKey() {
    String slowKey = unique("slow");
    String otherKey = keyOnAnotherWorker(slowKey);
    long slow = gate.send("Slow", new Slow(1_000), Envelope.ABSENT, slowKey);
    long unordered = gate.send("Echo", RawValue.of(new byte[] {0x01}));
    long otherKeyed = gate.send("Add", new Add(1, 1), Envelope.ABSENT, otherKey);

    Set<Long> firstTwo = Set.of(gate.next(ServiceReply.class).grid(), gate.next(ServiceReply.class).grid());
    ServiceReply third = gate.next(ServiceReply.class);

    assertThat(firstTwo).containsExactlyInAnyOrder(unordered, otherKeyed);
    assertThat(third.grid()).isEqualTo(slow);
    assertThat(third.code()).isZero();
  }

  @Test
  void callWhoseBudgetRunsOutWhileQueuedBehindASlowCallIsAnswered4AndNeverRuns() {
    String key = unique("queue");
    String late = unique("late");
    String patient = unique("patient");
    long slow = gate.send("Slow", new Slow(500), Envelope.ABSENT, key);
    long lateGrid = gate.send("Record", new Id(late), 100, key);
    long patientGrid = gate.send("Record", new Id(patient), 5_000, key);

    ServiceReply slowReply = gate.reply(slow);
    ServiceReply lateReply = gate.reply(lateGrid);
    ServiceReply patientReply = gate.reply(patientGrid);

    assertThat(slowReply.code()).isZero();
    assertThat(lateReply.code()).isEqualTo(Code.DEADLINE_EXCEEDED.value());
    assertThat(lateReply.error()).contains("deadline");
    assertThat(patientReply.code()).as("a call whose budget outlasts the wait still runs").isZero();
    assertThat(TestService.RECORDED).contains(patient).doesNotContain(late);
  }

  /**
   * Fails: {@code MeshService.run} catches {@code Exception | StackOverflowError} around the
   * handler, so any other {@link Error} a handler throws (here an {@link AssertionError}) escapes
   * it. The call is never answered, and the ordered worker stays {@code busy} forever: every later
   * call hashed to that worker waits in its queue and is never answered either.
   */
  @Test
  void handlerThrowingAnErrorIsAnswered13AndItsOrderedWorkerKeepsServing() {
    String key = unique("panic");
    long panic = gate.send("Panic", new Fail("invariant broken"), Envelope.ABSENT, key);
    long next = gate.send("Add", new Add(1, 2), Envelope.ABSENT, key);

    ServiceReply nextReply = gate.reply(next);
    ServiceReply panicReply = gate.reply(panic);

    assertThat(nextReply.code()).isZero();
    assertThat(panicReply.code()).isEqualTo(Code.INTERNAL.value());
    assertThat(panicReply.error()).isEqualTo("invariant broken");
  }

  /**
   * Fails: {@code MeshService.runNext} starts each queued call from the completion callback of the
   * one before. A call that completes at once (a synchronous handler such as {@code Echo}, or a
   * call answered 4 because its budget ran out in the queue) starts the next one on the same
   * stack, so a backlog that drains synchronously recurses once per queued call
   * ({@code runNext -> run -> transform -> onComplete -> runNext}). With some thousands queued the
   * event loop throws {@link StackOverflowError} outside the handler's try, the remaining calls are
   * never answered, and the worker stays {@code busy}: its key, and every key hashed to it, hangs.
   */
  @Test
  void thousandsOfCallsQueuedBehindASlowCallWithOneKeyAreAllAnswered() {
    String key = unique("backlog");
    int queued = 10_000;
    gate.send("Slow", new Slow(1_000), Envelope.ABSENT, key);
    for (int i = 0; i < queued; i++) {
      gate.send("Echo", RawValue.of(new byte[] {0x01}), Envelope.ABSENT, key);
    }

    List<ServiceReply> replies = gate.replies(queued + 1);

    assertThat(replies.size()).as("replies to the slow call and the %d behind it", queued).isEqualTo(queued + 1);
    assertThat(replies.stream().filter(r -> r.code() != 0).count()).as("failed replies").isZero();
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  /** A key that the host hashes to another ordered worker than {@code key}'s (see ServiceHost#addressFor). */
  private static String keyOnAnotherWorker(String key) {
    int workers = ServiceOptions.DEFAULT_ORDERED_WORKERS;
    for (int i = 0; ; i++) {
      String candidate = "other-" + i;
      if (Math.floorMod(candidate.hashCode(), workers) != Math.floorMod(key.hashCode(), workers)) {
        return candidate;
      }
    }
  }
}
