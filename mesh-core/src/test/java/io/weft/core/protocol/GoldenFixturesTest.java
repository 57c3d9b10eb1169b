package io.weft.core.protocol;

import static io.weft.core.protocol.WireBytes.args;
import static io.weft.core.protocol.WireBytes.buf;
import static io.weft.core.protocol.WireBytes.decode;
import static io.weft.core.protocol.WireBytes.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import io.weft.core.protocol.Envelope.AccessReport;
import io.weft.core.protocol.Envelope.AuthRequest;
import io.weft.core.protocol.Envelope.AuthResponse;
import io.weft.core.protocol.Envelope.Caller;
import io.weft.core.protocol.Envelope.ClientPush;
import io.weft.core.protocol.Envelope.ErrorNotice;
import io.weft.core.protocol.Envelope.GatePush;
import io.weft.core.protocol.Envelope.HeartbeatRequest;
import io.weft.core.protocol.Envelope.HeartbeatResponse;
import io.weft.core.protocol.Envelope.ListenAddrRequest;
import io.weft.core.protocol.Envelope.ListenAddrResponse;
import io.weft.core.protocol.Envelope.LoginRequest;
import io.weft.core.protocol.Envelope.LogoffRequest;
import io.weft.core.protocol.Envelope.MethodAccess;
import io.weft.core.protocol.Envelope.PushReply;
import io.weft.core.protocol.Envelope.RouteRequest;
import io.weft.core.protocol.Envelope.RouteResponse;
import io.weft.core.protocol.Envelope.ServiceCall;
import io.weft.core.protocol.Envelope.ServiceReply;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the wire: each message type's body, as encoded from the values below, must stay byte for
 * byte equal to {@code src/test/resources/golden/<name>.bin} (see the README there).
 */
class GoldenFixturesTest {

  static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.e30.sig";
  static final String CLIENT = "unity/2.3";
  static final String CONN_ID = "c-0001";
  static final String GATE = "10.0.0.1:7000";
  static final String INSTANCE = "10.0.0.2:9000";
  static final String NAMESPACE = "game";
  static final String SERVICE_NAME = "room";
  static final String CLIENT_ID = "player-1";
  static final String PUSH_ID = "push-0001";
  static final String ORDER_KEY = "room-7";
  static final String HASH_KEY = "player-9";
  static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  static final long RID = 42;
  /** Above 2^32: written as uint64. */
  static final long GRID = 0x1_0000_0007L;
  static final long TIMEOUT_MS = 3000;
  static final int HEARTBEAT_SEC = 10;
  /** {@code ["Join", {"Room": 7}]}. */
  static final byte[] INNER_RPC = bytes(0x92, 0xa4, 'J', 'o', 'i', 'n', 0x81, 0xa4, 'R', 'o', 'o', 'm', 0x07);
  /** {@code {"Seat": 3}}. */
  static final byte[] REPLY = bytes(0x81, 0xa4, 'S', 'e', 'a', 't', 0x03);
  static final Map<String, String> TAGS = ordered("canary", "true", "region", "eu");
  static final Map<String, MethodAccess> RPCS = ordered(
      "Join", new MethodAccess(true, false, true),
      "Stats", new MethodAccess(false, true, false));

  /** One representative message per type; the map iteration orders are fixed, so the bytes are. */
  static List<Envelope> samples() {
    return List.of(
        new AuthRequest(1, TOKEN, CLIENT),
        new AuthResponse(0, null, CONN_ID, GATE, HEARTBEAT_SEC),
        new RouteRequest(RID, NAMESPACE, SERVICE_NAME, buf(INNER_RPC), TIMEOUT_MS, ORDER_KEY, HASH_KEY, TAGS, TRACE),
        new RouteResponse(RID, 0, null, buf(REPLY)),
        new LoginRequest(RID, CLIENT_ID),
        new LogoffRequest(RID, CLIENT_ID),
        new ClientPush(CLIENT_ID, PUSH_ID, buf(INNER_RPC)),
        new PushReply(CLIENT_ID, PUSH_ID),
        HeartbeatRequest.INSTANCE,
        HeartbeatResponse.INSTANCE,
        new ErrorNotice(12, "unknown message MSG_X"),
        new AccessReport(NAMESPACE, SERVICE_NAME, INSTANCE, RPCS),
        new ServiceCall(GRID, buf(INNER_RPC), TIMEOUT_MS, ORDER_KEY, TRACE, new Caller(GATE, CONN_ID, CLIENT_ID, CLIENT)),
        new ServiceReply(GRID, 13, "handler failed", buf(REPLY)),
        new ListenAddrRequest(RID),
        new ListenAddrResponse(RID, GATE),
        new GatePush(CONN_ID, CLIENT_ID, PUSH_ID, buf(INNER_RPC)),
        Envelope.Draining.INSTANCE,
        Envelope.DrainingAck.INSTANCE);
  }

  /** The keys each fixture holds, as named in PROTOCOL.md sections 5, 6 and 15. */
  private static final Map<MessageType, Set<String>> KEYS = Map.ofEntries(
      Map.entry(MessageType.C2G_AUTH, Set.of("Version", "Token", "Client")),
      Map.entry(MessageType.G2C_AUTH_RSP, Set.of("Code", "ConnId", "Gate", "HeartbeatSec")),
      Map.entry(MessageType.C2G_RPC_ROUTE, Set.of("Rid", "Namespace", "ServiceName", "InnerRpc", "Timeout",
          "OrderKey", "HashKey", "Tags", "Trace")),
      Map.entry(MessageType.G2C_RPC_RSP, Set.of("Rid", "Code", "Reply")),
      Map.entry(MessageType.GATE_LOGIN, Set.of("Rid", "ClientId")),
      Map.entry(MessageType.GATE_LOGOFF, Set.of("Rid", "ClientId")),
      Map.entry(MessageType.G2C_PUSH, Set.of("ClientId", "PushId", "InnerRpc")),
      Map.entry(MessageType.PUSH_REPLY, Set.of("ClientId", "PushId")),
      Map.entry(MessageType.HEART_BEAT_REQ, Set.of()),
      Map.entry(MessageType.HEART_BEAT_RSP, Set.of()),
      Map.entry(MessageType.ERROR, Set.of("Code", "Error")),
      Map.entry(MessageType.S2G_RPC_ACCESS_REPORT, Set.of("Namespace", "ServiceName", "Instance", "Rpcs")),
      Map.entry(MessageType.G2S_RPC_CALL, Set.of("GRid", "InnerRpc", "Timeout", "OrderKey", "Trace", "Caller")),
      Map.entry(MessageType.S2G_RPC_RSP, Set.of("GRid", "Code", "Error", "Reply")),
      Map.entry(MessageType.P2G_REQ_LISTENADDR, Set.of("Rid")),
      Map.entry(MessageType.G2P_RSP_LISTENADDR, Set.of("Rid", "Addr")),
      Map.entry(MessageType.P2G_PUSH, Set.of("ConnId", "ClientId", "PushId", "InnerRpc")),
      Map.entry(MessageType.DRAINING, Set.of()),
      Map.entry(MessageType.DRAINING_ACK, Set.of()));

  static Stream<Arguments> fixtures() {
    return samples().stream().map(e -> Arguments.of(named(e.type().wireName(), e)));
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void encodingProducesExactlyTheFixture(Envelope envelope) {
    assertThat(encode(envelope)).isEqualTo(fixture(envelope.type()));
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void decodingTheFixtureYieldsTheSameMessage(Envelope envelope) {
    // Records compare their ByteBuf fields by readable content.
    assertThat(decode(fixture(envelope.type()))).isEqualTo(envelope);
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void theFixtureUsesTheProtocolsNameAndKeys(Envelope envelope) {
    byte[] body = fixture(envelope.type());

    assertThat(WireBytes.unpack(body).get(0).asStringValue().asString()).isEqualTo(envelope.type().wireName());
    assertThat(args(body).keySet()).containsExactlyInAnyOrderElementsOf(KEYS.get(envelope.type()));
  }

  @Test
  void thereIsOneFixturePerMessageTypeAndNoOther() throws IOException, URISyntaxException {
    Path dir = Path.of(GoldenFixturesTest.class.getResource("/golden/README.md").toURI()).getParent();
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".bin")).toList();
      List<String> expected = EnumSet.complementOf(EnumSet.of(MessageType.UNKNOWN)).stream()
          .map(t -> t.wireName() + ".bin").toList();
      assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
    }
    assertThat(samples()).extracting(Envelope::type).containsExactlyInAnyOrderElementsOf(KEYS.keySet());
  }

  static byte[] fixture(MessageType type) {
    String resource = "/golden/" + type.wireName() + ".bin";
    try (InputStream in = GoldenFixturesTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  @SuppressWarnings("unchecked")
  private static <V> Map<String, V> ordered(Object... keysAndValues) {
    Map<String, V> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], (V) keysAndValues[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }
}
