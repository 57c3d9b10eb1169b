package io.weft.gate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.weft.gate.GateHttpOptions;
import io.weft.gate.GateOptions;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The HTTP gateway: JSON in, the reply as JSON out, wire codes as HTTP statuses. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpGatewayIT {

  private static JsonObject json(HttpResponse<String> response) {
    return new JsonObject(response.body());
  }

  @Test
  void aCallIsRoutedAndItsReplyAnsweredAsJson(Vertx vertx) throws Exception {
    WebMesh mesh = new WebMesh(vertx).echo();
    mesh.gate(WebMesh.internal());
    mesh.awaitRoutable("demo", "echo");

    HttpResponse<String> echoed = mesh.post("/rpc/demo/echo/Echo", "{\"Text\":\"hi\",\"N\":[1,2.5,null,true]}");
    assertThat(echoed.statusCode()).isEqualTo(200);
    assertThat(echoed.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(json(echoed)).isEqualTo(new JsonObject("{\"Text\":\"hi\",\"N\":[1,2.5,null,true]}"));

    HttpResponse<String> empty = mesh.post("/rpc/demo/echo/Echo", "");
    assertThat(empty.statusCode()).isEqualTo(200);
    assertThat(json(empty)).isEqualTo(new JsonObject());

    // A valid traceparent is kept (PROTOCOL.md section 16); the gate would replace a malformed one.
    String trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    HttpResponse<String> context = mesh.post("/rpc/demo/echo/Context", "{}", "X-Weft-Trace", trace, "X-Weft-Timeout", "3000");
    assertThat(json(context).getString("Trace")).isEqualTo(trace);
    HttpResponse<String> standard = mesh.post("/rpc/demo/echo/Context", "{}", "traceparent", trace);
    assertThat(json(standard).getString("Trace")).isEqualTo(trace);
    assertThat(json(context).getLong("RemainingMs")).isBetween(1L, 3000L);
  }

  @Test
  void wireCodesAreAnsweredAsHttpStatusesWithAJsonError(Vertx vertx) throws Exception {
    WebMesh mesh = new WebMesh(vertx).echo();
    mesh.gate(WebMesh.internal());
    mesh.awaitRoutable("demo", "echo");

    HttpResponse<String> failed = mesh.post("/rpc/demo/echo/Fail", "{\"Message\":\"boom\"}");
    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(json(failed)).isEqualTo(new JsonObject().put("code", 13).put("error", "boom"));

    HttpResponse<String> late = mesh.post("/rpc/demo/echo/Sleep", "{\"Ms\":2000}", "X-Weft-Timeout", "50");
    assertThat(late.statusCode()).isEqualTo(504);
    assertThat(json(late).getInteger("code")).isEqualTo(4);

    HttpResponse<String> missing = mesh.post("/rpc/demo/nosuch/Thing", "{}");
    assertThat(missing.statusCode()).isEqualTo(503);
    assertThat(json(missing).getInteger("code")).isEqualTo(14);
    assertThat(json(missing).getString("error")).contains("demo/nosuch");

    HttpResponse<String> unknownMethod = mesh.post("/rpc/demo/echo/NoSuch", "{}");
    assertThat(unknownMethod.statusCode()).isEqualTo(501);
    assertThat(json(unknownMethod).getInteger("code")).isEqualTo(12);

    HttpResponse<String> badArgs = mesh.post("/rpc/demo/echo/Sleep", "{\"Ms\":\"soon\"}");
    assertThat(badArgs.statusCode()).isEqualTo(400);
    assertThat(json(badArgs).getInteger("code")).isEqualTo(3);
  }

  @Test
  void badRequestsAreRefusedWithClearJsonErrors(Vertx vertx) throws Exception {
    WebMesh mesh = new WebMesh(vertx).echo();
    mesh.gate(WebMesh.internal().setHttp(new GateHttpOptions().setPort(0).setMaxBodyBytes(1024)));
    mesh.awaitRoutable("demo", "echo");

    HttpResponse<String> notJson = mesh.post("/rpc/demo/echo/Echo", "{\"Text\":");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(json(notJson).getInteger("code")).isEqualTo(3);
    assertThat(json(notJson).getString("error")).startsWith("the body is not JSON");

    HttpResponse<String> form = mesh.post("/rpc/demo/echo/Echo", "Text=hi", "Content-Type", "application/x-www-form-urlencoded");
    assertThat(form.statusCode()).isEqualTo(415);

    HttpResponse<String> large = mesh.post("/rpc/demo/echo/Echo", "{\"Text\":\"" + "x".repeat(5000) + "\"}");
    assertThat(large.statusCode()).isEqualTo(413);
    assertThat(json(large).getInteger("code")).isEqualTo(8);

    HttpResponse<String> badTimeout = mesh.post("/rpc/demo/echo/Echo", "{}", "X-Weft-Timeout", "-5");
    assertThat(badTimeout.statusCode()).isEqualTo(400);
    assertThat(json(badTimeout).getString("error")).contains("X-Weft-Timeout");

    HttpResponse<String> short_ = mesh.post("/rpc/demo/echo", "{}");
    assertThat(short_.statusCode()).isEqualTo(404);
    assertThat(mesh.get("/rpc/demo/echo/Echo").statusCode()).isEqualTo(405);

    HttpResponse<String> foreign = mesh.post("/rpc/demo/echo/Echo", "{}", "Origin", "http://evil.example");
    assertThat(foreign.statusCode()).isEqualTo(403);
    HttpResponse<String> own = mesh.post("/rpc/demo/echo/Echo", "{}", "Origin", "http://127.0.0.1:" + mesh.httpPort());
    assertThat(own.statusCode()).isEqualTo(200);
  }

  @Test
  void anExternalGateWantsABearerTokenAndPublicMethods(Vertx vertx) throws Exception {
    WebMesh mesh = new WebMesh(vertx).echo();
    mesh.gate(WebMesh.external());
    mesh.awaitRoutable("demo", "echo");

    HttpResponse<String> anonymous = mesh.post("/rpc/demo/echo/Echo", "{}");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(json(anonymous).getInteger("code")).isEqualTo(16);

    HttpResponse<String> forged = mesh.post("/rpc/demo/echo/Echo", "{}", "Authorization", "Bearer v1.test.abc.def");
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(json(forged).getInteger("code")).isEqualTo(16);

    String token = WebMesh.token("carol");
    HttpResponse<String> ok = mesh.post("/rpc/demo/echo/Whoami", "{}", "Authorization", "Bearer " + token);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(json(ok).getString("Instance")).isNotEmpty();

    HttpResponse<String> notPublic = mesh.post("/rpc/demo/echo/Context", "{}", "Authorization", "Bearer " + token);
    assertThat(notPublic.statusCode()).isEqualTo(403);
    assertThat(json(notPublic).getString("error")).contains("not public");
  }

  @Test
  void theCallerOfAnHttpCallIsTheTokensSubject(Vertx vertx) throws Exception {
    WebMesh mesh = new WebMesh(vertx).echo();
    mesh.gate(WebMesh.internal());
    mesh.awaitRoutable("demo", "echo");
    JsonObject caller = json(mesh.post("/rpc/demo/echo/Context", "{}")).getJsonObject("Caller");
    assertThat(caller.getString("Gate")).isEqualTo(mesh.gates.get(0).gateId());
    assertThat(caller.getString("ConnId")).isNotEmpty();
    assertThat(caller.getString("ClientId")).as("an internal gate has no token to name a subject").isNull();
  }

  @Test
  void devTokensAreHandedOutOnLoopbackOnly(Vertx vertx) throws Exception {
    WebMesh mesh = new WebMesh(vertx).echo();
    GateOptions dev = WebMesh.external().setHttp(new GateHttpOptions().setPort(0).setDevTokens(true));
    mesh.gate(dev);
    mesh.awaitRoutable("demo", "echo");
    HttpResponse<String> issued = mesh.post("/dev/token", "{\"Subject\":\"dana\"}");
    assertThat(issued.statusCode()).isEqualTo(200);
    String token = json(issued).getString("Token");
    assertThat(mesh.post("/rpc/demo/echo/Echo", "{}", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
    assertThat(mesh.post("/dev/token", "{}").statusCode()).isEqualTo(400);

    GateOptions exposed = WebMesh.external().setHttp(new GateHttpOptions().setPort(0).setDevTokens(true).setHost("0.0.0.0"));
    assertThatThrownBy(() -> new WebMesh(vertx).gate(exposed))
        .hasMessageContaining("http.devTokens").hasMessageContaining("loopback");
  }

  @Test
  void theBrowserClientIsServed(Vertx vertx) throws Exception {
    WebMesh mesh = new WebMesh(vertx);
    mesh.gate(WebMesh.internal());
    HttpResponse<String> client = mesh.get("/weft/weft-client.mjs");
    assertThat(client.statusCode()).isEqualTo(200);
    assertThat(client.headers().firstValue("Content-Type").orElse("")).contains("javascript");
    assertThat(mesh.get("/index.html").statusCode()).as("no webRoot: nothing else").isEqualTo(404);
  }
}
