package io.weft.service;

import static io.weft.service.FakeGate.join;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.protocol.Envelope.ServiceReply;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Links around handlers: host links outside service links, each able to see, change or stop the call. */
@ExtendWith(VertxExtension.class)
class InterceptorChainIT {

  static final List<String> SEEN = new CopyOnWriteArrayList<>();

  /** The test service with links of its own: one records, one guards a method. */
  public static class GuardedService extends TestService {
    @Override
    protected void configure(Rpcs r) {
      super.configure(r);
      r.intercept((ctx, args, next) -> {
        SEEN.add("service:" + ctx.method());
        return next.proceed();
      });
      r.intercept((ctx, args, next) -> ctx.method().equals("Fail")
          ? Future.failedFuture(MeshException.quiet(Code.PERMISSION_DENIED, "no failing here"))
          : next.proceed());
    }
  }

  private static FakeGate deploy(Vertx vertx) {
    ServiceHost host = new ServiceHost(new ServiceOptions().setNamespace("test").setName("svc").setHost("127.0.0.1"),
        GuardedService::new);
    host.addInterceptor((ctx, args, next) -> {
      SEEN.add("host:" + ctx.method());
      // the host's link sees the outcome and may change it
      return next.proceed().map(reply -> ctx.method().equals("Add") ? Map.of("Sum", 42) : reply);
    });
    join(vertx.deployVerticle(host));
    return FakeGate.connect(vertx, host.actualPort());
  }

  @Test
  void linksRunHostFirstThenServiceThenTheHandler(Vertx vertx) {
    SEEN.clear();
    FakeGate gate = deploy(vertx);
    ServiceReply r = gate.call("Add", Map.of("A", 1, "B", 2));
    assertThat(r.code()).isZero();
    assertThat(ArgsCodec.decode(io.netty.buffer.ByteBufUtil.getBytes(r.reply()), Map.class)).isEqualTo(Map.of("Sum", 42));
    assertThat(SEEN).containsExactly("host:Add", "service:Add");
  }

  @Test
  void aLinkMayAnswerWithoutRunningTheHandler(Vertx vertx) {
    SEEN.clear();
    FakeGate gate = deploy(vertx);
    ServiceReply r = gate.call("Fail", Map.of("Message", "boom"));
    assertThat(r.code()).isEqualTo(Code.PERMISSION_DENIED.value());
    assertThat(r.error()).isEqualTo("no failing here");
  }
}
