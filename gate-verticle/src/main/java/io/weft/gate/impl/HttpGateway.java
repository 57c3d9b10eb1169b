package io.weft.gate.impl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.auth.Principal;
import io.weft.core.auth.TokenVerifier;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.codec.CodecException;
import io.weft.core.codec.RawValue;
import io.weft.core.conn.EnvelopeSink;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.Caller;
import io.weft.core.protocol.Envelope.RouteRequest;
import io.weft.core.protocol.Envelope.RouteResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The HTTP gateway (PROTOCOL.md section 18): {@code POST /rpc/<namespace>/<service>/<method>}
 * with a JSON body is routed as the call {@code method(args)}, its JSON turned into the
 * MessagePack args by the args codec, through the same router, access rules and limits as a
 * TCP client's call; the answer is the reply as JSON (200), or {@code {"code", "error"}} with the
 * HTTP status of the wire code ({@link HttpStatuses}).
 * <p>
 * On an external gate every request carries {@code Authorization: Bearer <token>}, checked by the
 * gate's verifier; the call's caller is then the token's subject ({@code ClientId}) and label.
 */
public final class HttpGateway {

  /** {@code {}}: the args of a call whose body is empty. */
  private static final byte[] EMPTY_MAP = {(byte) 0x80};
  private static final String JSON = "application/json";

  private final Router router;
  private final TokenVerifier verifier;
  private final String gateId;

  /** {@code verifier} is {@code null} on an internal gate, which trusts its callers. */
  public HttpGateway(Router router, TokenVerifier verifier, String gateId) {
    this.router = router;
    this.verifier = verifier;
    this.gateId = gateId;
  }

  public void handle(RoutingContext rc, HttpPeer peer) {
    String contentType = rc.request().getHeader("Content-Type");
    if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith(JSON)) {
      // Browsers send a cross-site form without a preflight, never a JSON one.
      fail(rc, 415, Code.INVALID_ARGUMENT, "Content-Type must be application/json");
      return;
    }
    RouteRequest request;
    try {
      request = request(rc);
    } catch (MeshException e) {
      fail(rc, HttpStatuses.of(e.code()), e.code(), e.getMessage());
      return;
    }
    if (verifier == null) {
      route(rc, peer, request, new Caller(gateId, peer.connId, null, null));
      return;
    }
    String authorization = rc.request().getHeader("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      rc.response().putHeader("WWW-Authenticate", "Bearer");
      fail(rc, 401, Code.UNAUTHENTICATED, "missing bearer token");
      return;
    }
    Future<Principal> verdict;
    try {
      verdict = verifier.verify(authorization.substring(7).trim(), null, rc.request().remoteAddress());
    } catch (RuntimeException e) {
      verdict = Future.failedFuture(e);
    }
    Context context = rc.vertx().getOrCreateContext();
    RouteRequest call = request;
    verdict.onComplete(ar -> context.runOnContext(v -> {
      if (ar.succeeded()) {
        Principal principal = ar.result();
        route(rc, peer, call, new Caller(gateId, peer.connId, principal.subject(), principal.label()));
        return;
      }
      Code code = ar.cause() instanceof MeshException me && me.code() != Code.OK ? me.code() : Code.UNAUTHENTICATED;
      String error = ar.cause() instanceof MeshException me ? me.getMessage() : "authentication failed";
      if (code == Code.UNAUTHENTICATED) {
        rc.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      }
      fail(rc, HttpStatuses.of(code), code, error);
    }));
  }

  /** The route the request asks for, or a {@link MeshException} 3 naming what is wrong with it. */
  private static RouteRequest request(RoutingContext rc) {
    String namespace = rc.pathParam("namespace");
    String service = rc.pathParam("service");
    String method = rc.pathParam("method");
    Buffer body = rc.body().buffer();
    byte[] args;
    if (body == null || body.length() == 0) {
      args = EMPTY_MAP;
    } else {
      try {
        args = ArgsCodec.fromJson(body.toString(StandardCharsets.UTF_8));
      } catch (CodecException e) {
        throw MeshException.quiet(Code.INVALID_ARGUMENT, "the body is not JSON: " + e.getMessage());
      }
    }
    ByteBuf innerRpc = Unpooled.wrappedBuffer(ArgsCodec.encodeInnerRpc(method, RawValue.of(args)));
    long timeout = number(rc, "X-Weft-Timeout");
    return new RouteRequest(1, namespace, service, innerRpc, timeout, header(rc, "X-Weft-Order-Key"),
        header(rc, "X-Weft-Hash-Key"), Map.of(), trace(rc), null, false);
  }

  /** The call's trace: {@code X-Weft-Trace}, else the standard W3C {@code traceparent} header. */
  private static String trace(RoutingContext rc) {
    String trace = header(rc, "X-Weft-Trace");
    return trace != null ? trace : header(rc, "traceparent");
  }

  private static String header(RoutingContext rc, String name) {
    String value = rc.request().getHeader(name);
    return value == null || value.isEmpty() ? null : value;
  }

  private static long number(RoutingContext rc, String name) {
    String value = header(rc, name);
    if (value == null) {
      return Envelope.ABSENT;
    }
    try {
      long n = Long.parseLong(value);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw MeshException.quiet(Code.INVALID_ARGUMENT, name + " must be a number of milliseconds >= 0, but was " + value);
  }

  private void route(RoutingContext rc, HttpPeer peer, RouteRequest request, Caller caller) {
    EnvelopeSink answer = envelope -> {
      if (envelope instanceof RouteResponse response) {
        answered(rc, response);
      }
    };
    router.route(answer, caller, peer.pins, peer.connId, false, peer.calls, request);
  }

  private static void answered(RoutingContext rc, RouteResponse response) {
    if (response.code() != Code.OK.value()) {
      fail(rc, HttpStatuses.of(response.code()), Code.of(response.code()), response.code(), response.error());
      return;
    }
    String json;
    try {
      ByteBuf reply = response.reply();
      if (reply == null || !reply.isReadable()) {
        json = "null";
      } else {
        byte[] bytes = new byte[reply.readableBytes()];
        reply.getBytes(reply.readerIndex(), bytes);
        json = ArgsCodec.toJson(bytes);
      }
    } catch (CodecException e) {
      fail(rc, 502, Code.INTERNAL, "the reply is not valid MessagePack");
      return;
    }
    HttpServerResponse http = rc.response();
    if (!http.ended() && !http.closed()) {
      http.putHeader("Content-Type", JSON).end(json);
    }
  }

  /** Answers {@code {"code": <code>, "error": <error>}} with {@code status}. */
  public static void fail(RoutingContext rc, int status, Code code, String error) {
    fail(rc, status, code, code.value(), error);
  }

  private static void fail(RoutingContext rc, int status, Code code, int wireCode, String error) {
    HttpServerResponse http = rc.response();
    if (http.ended() || http.closed()) {
      return;
    }
    JsonObject body = new JsonObject().put("code", wireCode);
    if (error != null && !error.isEmpty()) {
      body.put("error", error);
    }
    http.setStatusCode(status).putHeader("Content-Type", JSON).end(body.encode());
  }
}
