package io.weft.gate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.auth.Principal;
import io.weft.core.auth.TokenVerifier;
import io.weft.core.client.MeshClient;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.AuthRequest;
import io.weft.core.protocol.Envelope.AuthResponse;
import io.weft.core.protocol.Envelope.RouteRequest;
import io.weft.core.protocol.Envelope.RouteResponse;
import io.weft.gate.GateLimits;
import io.weft.gate.GateOptions;
import io.weft.gate.impl.GateShared;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** An external gate: authentication first, public methods only, logins as the token's subject. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExternalGateIT {

  private static RouteRequest route(long rid, String service, String method, Object args) {
    return new RouteRequest(rid, "demo", service, Unpooled.wrappedBuffer(ArgsCodec.encodeInnerRpc(method, args)),
        Envelope.ABSENT, null, null, null, null);
  }

  private static RawClient authenticated(SecureMesh mesh, String subject) throws Exception {
    RawClient raw = new RawClient(mesh.port);
    raw.send(new AuthRequest(1, SecureMesh.token(subject), null));
    Envelope answer = raw.read(3000);
    assertThat(answer).isInstanceOfSatisfying(AuthResponse.class, a -> assertThat(a.code()).isZero());
    return raw;
  }

  @Test
  void anAuthenticatedClientCallsPublicMethodsOnly(Vertx vertx) throws Exception {
    SecureMesh mesh = new SecureMesh(vertx).echo().guarded();
    mesh.gate(SecureMesh.external());
    mesh.awaitRoutable("echo", 1);
    mesh.awaitRoutable("guarded", 1);
    MeshClient client = mesh.client(SecureMesh.token("alice"));
    assertThat(client.auth().code()).isZero();

    Map<?, ?> echoed = client.call("demo", "echo", "Echo", Map.of("Text", "hi"), Map.class).await(5, TimeUnit.SECONDS);
    assertThat(echoed.get("Text")).isEqualTo("hi");
    assertThatThrownBy(() -> client.call("demo", "echo", "Sleep", Map.of("Ms", 1), Map.class).await(5, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(MeshException.class, e -> {
          assertThat(e.code()).isEqualTo(Code.PERMISSION_DENIED);
          assertThat(e.getMessage()).contains("demo/echo.Sleep is not public");
        });
    assertThatThrownBy(() -> client.call("demo", "echo", "NoSuchMethod", Map.of(), Map.class).await(5, TimeUnit.SECONDS))
        .as("a method no instance reported is not public either")
        .isInstanceOfSatisfying(MeshException.class, e -> assertThat(e.code()).isEqualTo(Code.PERMISSION_DENIED));
    // A public method may call one that is not: calls from services are trusted.
    Map<?, ?> context = client.call("demo", "guarded", "CallPrivate", Map.of(), Map.class).await(5, TimeUnit.SECONDS);
    assertThat(context).isNotNull();
    assertThat(mesh.counter(GateShared.ACCESS_DENIED)).isEqualTo(2);
    client.close();
  }

  @Test
  void theTokensLabelIsTheCallsSource(Vertx vertx) throws Exception {
    SecureMesh mesh = new SecureMesh(vertx).echo();
    mesh.gate(SecureMesh.external().setLimits(GateLimits.fromJson(new JsonObject().put("perSource",
        new JsonObject().put("bot", new JsonObject().put("perSecond", 1).put("burst", 1))))));
    mesh.awaitRoutable("echo", 1);
    // The client claims another label; the one bound in the token wins.
    MeshClient bot = mesh.client(new io.weft.core.client.MeshClientOptions()
        .setToken(SecureMesh.tokens().sign("robot-7", "bot", Duration.ofMinutes(1))).setClientLabel("human"));
    bot.call("demo", "echo", "Echo", Map.of(), Map.class).await(5, TimeUnit.SECONDS);
    assertThatThrownBy(() -> bot.call("demo", "echo", "Echo", Map.of(), Map.class).await(5, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(MeshException.class, e -> assertThat(e.code()).isEqualTo(Code.RESOURCE_EXHAUSTED));
    bot.close();
  }

  @Test
  void aBadTokenIsAnswered16AndTheConnectionClosed(Vertx vertx) throws Exception {
    SecureMesh mesh = new SecureMesh(vertx);
    mesh.gate(SecureMesh.external());
    try (RawClient raw = new RawClient(mesh.port)) {
      raw.send(new AuthRequest(1, "v1.test.e30.AAAA", "x"));
      Envelope answer = raw.read(3000);
      assertThat(answer).isInstanceOfSatisfying(AuthResponse.class, a -> {
        assertThat(a.code()).isEqualTo(Code.UNAUTHENTICATED.value());
        assertThat(a.error()).isNotBlank();
      });
      assertThat(raw.closedWithin(3000)).isTrue();
    }
    assertThat(mesh.counter(GateShared.AUTH_FAILED)).isEqualTo(1);
  }

  @Test
  void aTokenIsSingleUseAcrossTheGatesEventLoops(Vertx vertx) throws Exception {
    SecureMesh mesh = new SecureMesh(vertx);
    mesh.gate(SecureMesh.external(), 2, null);
    String token = SecureMesh.token("alice");
    for (int i = 0; i < 3; i++) {
      try (RawClient raw = new RawClient(mesh.port)) {
        raw.send(new AuthRequest(1, token, null));
        int expected = i == 0 ? 0 : Code.UNAUTHENTICATED.value();
        assertThat(raw.read(3000)).as("use " + i).isInstanceOfSatisfying(AuthResponse.class, a -> {
          assertThat(a.code()).isEqualTo(expected);
          if (expected != 0) {
            assertThat(a.error()).isEqualTo("token replayed");
          }
        });
      }
    }
  }

  @Test
  void nothingButAuthAndHeartbeatsBeforeAuth(Vertx vertx) throws Exception {
    SecureMesh mesh = new SecureMesh(vertx).echo();
    mesh.gate(SecureMesh.external().setAuthTimeoutMs(5000));
    mesh.awaitRoutable("echo", 1);
    try (RawClient raw = new RawClient(mesh.port)) {
      raw.send(Envelope.HeartbeatRequest.INSTANCE);
      assertThat(raw.read(3000)).isInstanceOf(Envelope.HeartbeatResponse.class);
      raw.send(route(1, "echo", "Echo", Map.of()));
      assertThat(raw.read(3000)).as("closed, unanswered").isNull();
    }
    try (RawClient raw = new RawClient(mesh.port)) {
      raw.send(new Envelope.LoginRequest(1, "alice"));
      assertThat(raw.read(3000)).isNull();
    }
    assertThat(mesh.counter(GateShared.AUTH_OUT_OF_ORDER)).isEqualTo(2);
  }

  @Test
  void connectionsThatNeverAuthenticateAreClosedAtTheAuthTimeout(Vertx vertx) throws Exception {
    SecureMesh mesh = new SecureMesh(vertx);
    mesh.gate(SecureMesh.external());
    try (RawClient raw = new RawClient(mesh.port)) {
      raw.send(Envelope.HeartbeatRequest.INSTANCE);
      assertThat(raw.read(3000)).isInstanceOf(Envelope.HeartbeatResponse.class);
      assertThat(raw.closedWithin(3000)).isTrue();
    }
    assertThat(mesh.counter(GateShared.AUTH_TIMEOUT)).isEqualTo(1);
  }

  @Test
  void aSecondAuthIsAnsweredError9AndChangesNothing(Vertx vertx) throws Exception {
    SecureMesh mesh = new SecureMesh(vertx).echo();
    mesh.gate(SecureMesh.external());
    mesh.awaitRoutable("echo", 1);
    try (RawClient raw = authenticated(mesh, "alice")) {
      raw.send(new AuthRequest(1, SecureMesh.token("mallory"), null));
      assertThat(raw.read(3000)).isInstanceOfSatisfying(Envelope.ErrorNotice.class,
          e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION.value()));
      raw.send(new Envelope.LoginRequest(7, "alice"));
      assertThat(raw.read(3000)).as("still alice").isInstanceOfSatisfying(RouteResponse.class, r -> {
        assertThat(r.rid()).isEqualTo(7);
        assertThat(r.code()).isZero();
      });
    }
  }

  @Test
  void aClientLogsInOnlyAsItsTokensSubject(Vertx vertx) throws Exception {
    SecureMesh mesh = new SecureMesh(vertx);
    mesh.gate(SecureMesh.external());
    try (RawClient raw = authenticated(mesh, "alice")) {
      raw.send(new Envelope.LoginRequest(1, "bob"));
      assertThat(raw.read(3000)).isInstanceOfSatisfying(RouteResponse.class,
          r -> assertThat(r.code()).isEqualTo(Code.PERMISSION_DENIED.value()));
      raw.send(new Envelope.LoginRequest(2, "alice"));
      assertThat(raw.read(3000)).isInstanceOfSatisfying(RouteResponse.class, r -> assertThat(r.code()).isZero());
    }
  }

  @Test
  void framesSentWithTheAuthWaitForAnAsyncVerifier(Vertx vertx) throws Exception {
    TokenVerifier slow = (token, label, remote) -> {
      Promise<Principal> p = Promise.promise();
      vertx.setTimer(150, t -> p.complete(new Principal(token, "slow", null, null, Map.of())));
      return p.future();
    };
    SecureMesh mesh = new SecureMesh(vertx).echo();
    mesh.gate(new GateOptions().setMode(GateOptions.Mode.EXTERNAL).setTickMs(5), 1, slow);
    mesh.awaitRoutable("echo", 1);
    try (RawClient raw = new RawClient(mesh.port)) {
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      burst.write(RawClient.frame(new AuthRequest(1, "carol", null)));
      burst.write(RawClient.frame(route(41, "echo", "Echo", Map.of("Text", "first"))));
      burst.write(RawClient.frame(route(42, "echo", "Echo", Map.of("Text", "second"))));
      raw.write(burst.toByteArray());
      assertThat(raw.read(3000)).isInstanceOfSatisfying(AuthResponse.class, a -> assertThat(a.code()).isZero());
      RouteResponse first = (RouteResponse) raw.read(3000);
      RouteResponse second = (RouteResponse) raw.read(3000);
      assertThat(first.code()).isZero();
      assertThat(second.code()).isZero();
      assertThat(java.util.Set.of(first.rid(), second.rid())).containsExactlyInAnyOrder(41L, 42L);
    }
  }

  @Test
  void idleConnectionsAreClosedButLoggedInOnesStay(Vertx vertx) throws Exception {
    SecureMesh mesh = new SecureMesh(vertx);
    mesh.gate(SecureMesh.external().setIdleTimeoutMs(300));
    try (RawClient idle = authenticated(mesh, "alice"); RawClient listening = authenticated(mesh, "bob")) {
      listening.send(new Envelope.LoginRequest(1, "bob"));
      assertThat(listening.read(3000)).isInstanceOf(RouteResponse.class);
      assertThat(idle.closedWithin(5000)).isTrue();
      listening.send(Envelope.HeartbeatRequest.INSTANCE);
      assertThat(listening.read(3000)).isInstanceOf(Envelope.HeartbeatResponse.class);
    }
    assertThat(mesh.counter(GateShared.IDLE_CLOSED)).isEqualTo(1);
  }

  @Test
  void anExternalGateWithoutAuthDoesNotStart(Vertx vertx) {
    SecureMesh mesh = new SecureMesh(vertx);
    assertThatThrownBy(() -> mesh.gate(new GateOptions().setMode(GateOptions.Mode.EXTERNAL)))
        .hasMessageContaining("auth").hasMessageContaining("external gate");
  }

  @Test
  void aFailingVerifierCodeReachesTheClient(Vertx vertx) throws Exception {
    TokenVerifier busy = (token, label, remote) -> Future.failedFuture(MeshException.quiet(Code.RESOURCE_EXHAUSTED, "busy"));
    SecureMesh mesh = new SecureMesh(vertx);
    mesh.gate(new GateOptions().setMode(GateOptions.Mode.EXTERNAL), 1, busy);
    try (RawClient raw = new RawClient(mesh.port)) {
      raw.send(new AuthRequest(1, "t", null));
      assertThat(raw.read(3000)).isInstanceOfSatisfying(AuthResponse.class,
          a -> assertThat(a.code()).isEqualTo(Code.RESOURCE_EXHAUSTED.value()));
      assertThat(raw.closedWithin(3000)).isTrue();
    }
    Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> mesh.counter("connections.open") == 0);
  }
}
