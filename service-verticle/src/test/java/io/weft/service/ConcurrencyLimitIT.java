package io.weft.service;

import static io.weft.service.FakeGate.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.Code;
import io.weft.core.governance.ConcurrencyOptions;
import io.weft.core.protocol.Envelope.ServiceReply;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An instance runs at most maxConcurrent calls, queues queueSize more, and refuses the rest with 8. */
@ExtendWith(VertxExtension.class)
class ConcurrencyLimitIT {

  private static FakeGate deploy(Vertx vertx, ConcurrencyOptions concurrency) {
    ServiceHost host = new ServiceHost(new ServiceOptions().setNamespace("test").setName("svc").setHost("127.0.0.1")
        .setConcurrency(concurrency), TestService::new);
    join(vertx.deployVerticle(host));
    return FakeGate.connect(vertx, host.actualPort());
  }

  @Test
  void callsBeyondTheLimitAndTheQueueAreRefusedAtOnceAndTheOthersAllRun(Vertx vertx) {
    FakeGate gate = deploy(vertx, new ConcurrencyOptions(2, 1, false, 1));
    long a = gate.send("Slow", Map.of("Ms", 300));
    long b = gate.send("Slow", Map.of("Ms", 300));
    long c = gate.send("Slow", Map.of("Ms", 300));
    long refused = gate.send("Slow", Map.of("Ms", 300));
    ServiceReply first = gate.reply(refused);
    assertThat(first.code()).isEqualTo(Code.RESOURCE_EXHAUSTED.value());
    assertThat(first.error()).contains("concurrency limit");
    assertThat(gate.reply(a).code()).isZero();
    assertThat(gate.reply(b).code()).isZero();
    assertThat(gate.reply(c).code()).as("the queued call runs once a place frees up").isZero();
    // with everything done, there is room again
    assertThat(gate.call("Add", Map.of("A", 1, "B", 2)).code()).isZero();
  }

  @Test
  void oneWayCallsHoldTheirPlaceUntilTheyEnd(Vertx vertx) {
    FakeGate gate = deploy(vertx, new ConcurrencyOptions(1, 0, false, 1));
    gate.sendOneWay("Slow", Map.of("Ms", 400));
    long refused = gate.send("Add", Map.of("A", 1, "B", 2));
    assertThat(gate.reply(refused).code()).isEqualTo(Code.RESOURCE_EXHAUSTED.value());
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
        .until(() -> gate.call("Add", Map.of("A", 1, "B", 2)).code() == 0);
  }
}
