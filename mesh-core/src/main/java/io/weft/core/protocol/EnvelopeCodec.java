package io.weft.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import io.weft.core.frame.FrameDecoder;
import io.weft.core.frame.FrameException;
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
import io.weft.core.protocol.Envelope.UnknownMessage;
import io.weft.core.protocol.impl.ByteBufOutput;
import io.weft.core.protocol.impl.KnownStrings;
import io.weft.core.protocol.impl.StringCache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.core.buffer.ArrayBufferInput;
import org.msgpack.value.ValueType;

/**
 * Reads and writes {@link Envelope}s as frame bodies: a MessagePack array {@code [name, args]}
 * whose args map uses the CamelCase keys of PROTOCOL.md.
 * <p>
 * Decoding accepts every integer width, treats {@code nil} as an absent field, ignores unknown
 * keys and refuses (with {@link FrameException.Kind#MALFORMED}) anything else that does not fit:
 * invalid MessagePack, a body that is not a 2-element array, a non-string name, non-map args, a
 * known key with a value of the wrong type, a negative value where the protocol says uint, or
 * bytes after the array. {@code bin} fields of decoded envelopes are slices of the body, not copies.
 * <p>
 * The codec keeps one packer and one unpacker per thread; it is meant for event-loop threads.
 */
public final class EnvelopeCodec {

  private static final FastThreadLocal<EnvelopeCodec> CURRENT = new FastThreadLocal<>() {
    @Override
    protected EnvelopeCodec initialValue() {
      return new EnvelopeCodec();
    }
  };

  private static final int ENVELOPE_OVERHEAD_ESTIMATE = 96;

  /** Bodies up to this size are read through the reusable scratch array; larger ones get their own. */
  private static final int SCRATCH_BYTES = 64 * 1024;

  private final byte[] scratch = new byte[SCRATCH_BYTES];
  /** The bytes being read and where the body starts in them, for reading strings in place. */
  private byte[] current;
  private int currentBase;
  private int currentEnd;
  private final StringCache strings = new StringCache();
  private final ArrayBufferInput input = new ArrayBufferInput(new byte[0]);
  private final MessageUnpacker unpacker = new MessagePack.UnpackerConfig()
      .withAllowReadingBinaryAsString(false)
      .withAllowReadingStringAsBinary(false)
      .newUnpacker(input);
  private final ByteBufOutput output = new ByteBufOutput();
  private final MessagePacker packer = new MessagePack.PackerConfig().newPacker(output);

  private EnvelopeCodec() {
  }

  /**
   * Decodes one frame body.
   *
   * @throws FrameException of kind {@code MALFORMED} when the body does not fit the protocol
   */
  public static Envelope decode(ByteBuf body) {
    return CURRENT.get().read(body);
  }

  /** Encodes {@code envelope} as a whole frame (length prefix and body) in a new buffer. */
  public static ByteBuf encodeFrame(Envelope envelope, ByteBufAllocator alloc) {
    ByteBuf out = alloc.ioBuffer(ENVELOPE_OVERHEAD_ESTIMATE + payloadBytes(envelope));
    try {
      writeFrame(envelope, out);
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
  }

  /** Encodes {@code envelope} as a bare body (no length prefix: a WebSocket message) in a new buffer. */
  public static ByteBuf encodeBody(Envelope envelope, ByteBufAllocator alloc) {
    ByteBuf out = alloc.ioBuffer(ENVELOPE_OVERHEAD_ESTIMATE + payloadBytes(envelope));
    try {
      CURRENT.get().write(envelope, out);
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
  }

  /** Appends {@code envelope} as a whole frame (length prefix and body) to {@code out}. */
  public static void writeFrame(Envelope envelope, ByteBuf out) {
    int lengthIndex = out.writerIndex();
    out.writeInt(0);
    try {
      CURRENT.get().write(envelope, out);
    } catch (RuntimeException e) {
      out.writerIndex(lengthIndex);
      throw e;
    }
    out.setInt(lengthIndex, out.writerIndex() - lengthIndex - FrameDecoder.LENGTH_FIELD_BYTES);
  }

  private static int payloadBytes(Envelope e) {
    return switch (e) {
      case RouteRequest r -> readable(r.innerRpc());
      case RouteResponse r -> readable(r.reply());
      case ServiceCall c -> readable(c.innerRpc());
      case ServiceReply r -> readable(r.reply()) + readable(r.refused());
      case ClientPush p -> readable(p.innerRpc());
      case GatePush p -> readable(p.innerRpc());
      default -> 0;
    };
  }

  private static int readable(ByteBuf b) {
    return b == null ? 0 : b.readableBytes();
  }

  // ---------------------------------------------------------------- reading

  private Envelope read(ByteBuf body) {
    try {
      // msgpack-core reads direct memory only through a JDK-internal class (sun.nio.ch), which
      // needs --add-exports; reading heap bytes needs nothing. Bin fields stay slices of the body.
      int length = body.readableBytes();
      if (body.hasArray()) {
        current = body.array();
        currentBase = body.arrayOffset() + body.readerIndex();
      } else {
        current = length <= SCRATCH_BYTES ? scratch : new byte[length];
        currentBase = 0;
        body.getBytes(body.readerIndex(), current, 0, length);
      }
      currentEnd = currentBase + length;
      input.reset(current, currentBase, length);
      unpacker.reset(input);
      if (!unpacker.hasNext() || unpacker.getNextFormat().getValueType() != ValueType.ARRAY) {
        throw malformed("body is not a MessagePack array");
      }
      int elements = unpacker.unpackArrayHeader();
      if (elements != 2) {
        throw malformed("body is an array of " + elements + " elements, not [name, args]");
      }
      if (unpacker.getNextFormat().getValueType() != ValueType.STRING) {
        throw malformed("message name is not a string");
      }
      String name = readKnown(Keys.KNOWN_NAMES);
      if (unpacker.getNextFormat().getValueType() != ValueType.MAP) {
        throw malformed("args of " + name + " is not a map");
      }
      int entries = unpacker.unpackMapHeader();
      Envelope envelope = readArgs(MessageType.ofWireName(name), name, entries, body);
      if (unpacker.hasNext()) {
        throw malformed("bytes follow the [name, args] array of " + name);
      }
      return envelope;
    } catch (FrameException e) {
      throw e;
    } catch (IOException | MessagePackException | IllegalArgumentException | IndexOutOfBoundsException e) {
      throw malformed("invalid MessagePack: " + e.getMessage());
    }
  }

  private Envelope readArgs(MessageType type, String name, int entries, ByteBuf body) throws IOException {
    return switch (type) {
      case C2G_AUTH -> readAuthRequest(entries);
      case G2C_AUTH_RSP -> readAuthResponse(entries);
      case C2G_RPC_ROUTE -> readRouteRequest(entries, body);
      case G2C_RPC_RSP -> readRouteResponse(entries, body);
      case GATE_LOGIN, GATE_LOGOFF -> readLogin(type, entries);
      case G2C_PUSH -> readClientPush(entries, body);
      case PUSH_REPLY -> readPushReply(entries);
      case HEART_BEAT_REQ -> {
        skipEntries(entries);
        yield HeartbeatRequest.INSTANCE;
      }
      case HEART_BEAT_RSP -> {
        skipEntries(entries);
        yield HeartbeatResponse.INSTANCE;
      }
      case ERROR -> readErrorNotice(entries);
      case S2G_RPC_ACCESS_REPORT -> readAccessReport(entries);
      case G2S_RPC_CALL -> readServiceCall(entries, body);
      case S2G_RPC_RSP -> readServiceReply(entries, body);
      case P2G_REQ_LISTENADDR -> readListenAddrRequest(entries);
      case G2P_RSP_LISTENADDR -> readListenAddrResponse(entries);
      case P2G_PUSH -> readGatePush(entries, body);
      case DRAINING -> {
        skipEntries(entries);
        yield Envelope.Draining.INSTANCE;
      }
      case DRAINING_ACK -> {
        skipEntries(entries);
        yield Envelope.DrainingAck.INSTANCE;
      }
      case UNKNOWN -> {
        skipEntries(entries);
        yield new UnknownMessage(name);
      }
    };
  }

  private AuthRequest readAuthRequest(int entries) throws IOException {
    int version = (int) Envelope.ABSENT;
    String token = null;
    String client = null;
    for (int i = 0; i < entries; i++) {
      switch (readKey()) {
        case "Version" -> version = readInt("Version", (int) Envelope.ABSENT);
        case "Token" -> token = readString("Token");
        case "Client" -> client = readString("Client");
        default -> unpacker.skipValue();
      }
    }
    return new AuthRequest(version, token, client);
  }

  private AuthResponse readAuthResponse(int entries) throws IOException {
    int code = 0;
    String error = null;
    String connId = null;
    String gate = null;
    int heartbeatSec = 0;
    for (int i = 0; i < entries; i++) {
      switch (readKey()) {
        case "Code" -> code = readInt("Code", 0);
        case "Error" -> error = readString("Error");
        case "ConnId" -> connId = readString("ConnId");
        case "Gate" -> gate = readString("Gate");
        case "HeartbeatSec" -> heartbeatSec = readInt("HeartbeatSec", 0);
        default -> unpacker.skipValue();
      }
    }
    return new AuthResponse(code, error, connId, gate, heartbeatSec);
  }

  private RouteRequest readRouteRequest(int entries, ByteBuf body) throws IOException {
    long rid = 0;
    String namespace = null;
    String serviceName = null;
    ByteBuf innerRpc = null;
    long timeout = Envelope.ABSENT;
    String orderKey = null;
    String hashKey = null;
    Map<String, String> tags = null;
    String trace = null;
    String failMode = null;
    boolean broadcast = false;
    for (int i = 0; i < entries; i++) {
      switch (readKey()) {
        case "Rid" -> rid = readId("Rid");
        case "FailMode" -> failMode = readString("FailMode");
        case "Broadcast" -> broadcast = readBool("Broadcast");
        case "Namespace" -> namespace = readString("Namespace");
        case "ServiceName" -> serviceName = readString("ServiceName");
        case "InnerRpc" -> innerRpc = readBin("InnerRpc", body);
        case "Timeout" -> timeout = readMillis("Timeout");
        case "OrderKey" -> orderKey = readString("OrderKey");
        case "HashKey" -> hashKey = readString("HashKey");
        case "Tags" -> tags = readStringMap("Tags");
        case "Trace" -> trace = readTrace();
        default -> unpacker.skipValue();
      }
    }
    return new RouteRequest(rid, namespace, serviceName, innerRpc, timeout, orderKey, hashKey, tags, trace, failMode,
        broadcast);
  }

  private RouteResponse readRouteResponse(int entries, ByteBuf body) throws IOException {
    long rid = 0;
    int code = 0;
    String error = null;
    ByteBuf reply = null;
    for (int i = 0; i < entries; i++) {
      switch (readKey()) {
        case "Rid" -> rid = readId("Rid");
        case "Code" -> code = readInt("Code", 0);
        case "Error" -> error = readString("Error");
        case "Reply" -> reply = readBin("Reply", body);
        default -> unpacker.skipValue();
      }
    }
    return new RouteResponse(rid, code, error, reply);
  }

  private Envelope readLogin(MessageType type, int entries) throws IOException {
    long rid = 0;
    String clientId = null;
    for (int i = 0; i < entries; i++) {
      switch (readKey()) {
        case "Rid" -> rid = readId("Rid");
        case "ClientId" -> clientId = readString("ClientId");
        default -> unpacker.skipValue();
      }
    }
    return type == MessageType.GATE_LOGIN ? new LoginRequest(rid, clientId) : new LogoffRequest(rid, clientId);
  }

  private ClientPush readClientPush(int entries, ByteBuf body) throws IOException {
    String clientId = null;
    String pushId = null;
    ByteBuf innerRpc = null;
    String trace = null;
    for (int i = 0; i < entries; i++) {
      switch (readKey()) {
        case "ClientId" -> clientId = readString("ClientId");
        case "PushId" -> pushId = readString("PushId");
        case "InnerRpc" -> innerRpc = readBin("InnerRpc", body);
        case "Trace" -> trace = readTrace();
        default -> unpacker.skipValue();
      }
    }
    return new ClientPush(clientId, pushId, innerRpc, trace);
  }


  private PushReply readPushReply(int entries) throws IOException {
    String clientId = null;
    String pushId = null;
    for (int i = 0; i < entries; i++) {
      switch (readKey()) {
        case "ClientId" -> clientId = readString("ClientId");
        case "PushId" -> pushId = readString("PushId");
        default -> unpacker.skipValue();
      }
    }
    return new PushReply(clientId, pushId);
  }

  private ErrorNotice readErrorNotice(int entries) throws IOException {
    int code = 0;
    String error = null;
    for (int i = 0; i < entries; i++) {
      switch (readKey()) {
        case "Code" -> code = readInt("Code", 0);
        case "Error" -> error = readString("Error");
        default -> unpacker.skipValue();
      }
    }
    return new ErrorNotice(code, error);
  }

  private AccessReport readAccessReport(int entries) throws IOException {
    String namespace = null;
    String serviceName = null;
    String instance = null;
    Map<String, MethodAccess> rpcs = null;
    for (int i = 0; i < entries; i++) {
      switch (readKey()) {
        case "Namespace" -> namespace = readString("Namespace");
        case "ServiceName" -> serviceName = readString("ServiceName");
        case "Instance" -> instance = readString("Instance");
        case "Rpcs" -> rpcs = readRpcs();
        default -> unpacker.skipValue();
      }
    }
    return new AccessReport(namespace, serviceName, instance, rpcs);
  }

  private Map<String, MethodAccess> readRpcs() throws IOException {
    if (unpacker.tryUnpackNil()) {
      return null;
    }
    expect(ValueType.MAP, "Rpcs");
    int methods = unpacker.unpackMapHeader();
    Map<String, MethodAccess> rpcs = new LinkedHashMap<>();
    for (int m = 0; m < methods; m++) {
      expect(ValueType.STRING, "Rpcs key");
      String method = unpacker.unpackString();
      expect(ValueType.MAP, "Rpcs." + method);
      int flags = unpacker.unpackMapHeader();
      boolean isPublic = false;
      boolean idempotent = false;
      boolean ordered = false;
      for (int f = 0; f < flags; f++) {
        switch (readKey()) {
          case "Public" -> isPublic = readBool("Public");
          case "Idempotent" -> idempotent = readBool("Idempotent");
          case "Ordered" -> ordered = readBool("Ordered");
          default -> unpacker.skipValue();
        }
      }
      rpcs.put(method, new MethodAccess(isPublic, idempotent, ordered));
    }
    return rpcs;
  }

  private ServiceCall readServiceCall(int entries, ByteBuf body) throws IOException {
    long grid = 0;
    ByteBuf innerRpc = null;
    long timeout = Envelope.ABSENT;
    String orderKey = null;
    String trace = null;
    Caller caller = null;
    for (int i = 0; i < entries; i++) {
      switch (readKey()) {
        case "GRid" -> grid = readId("GRid");
        case "InnerRpc" -> innerRpc = readBin("InnerRpc", body);
        case "Timeout" -> timeout = readMillis("Timeout");
        case "OrderKey" -> orderKey = readString("OrderKey");
        case "Trace" -> trace = readTrace();
        case "Caller" -> caller = readCaller();
        default -> unpacker.skipValue();
      }
    }
    return new ServiceCall(grid, innerRpc, timeout, orderKey, trace, caller);
  }

  private Caller readCaller() throws IOException {
    if (unpacker.tryUnpackNil()) {
      return null;
    }
    expect(ValueType.MAP, "Caller");
    int entries = unpacker.unpackMapHeader();
    String gate = null;
    String connId = null;
    String clientId = null;
    String client = null;
    for (int i = 0; i < entries; i++) {
      switch (readKey()) {
        case "Gate" -> gate = readString("Caller.Gate");
        case "ConnId" -> connId = readString("Caller.ConnId");
        case "ClientId" -> clientId = readString("Caller.ClientId");
        case "Client" -> client = readString("Caller.Client");
        default -> unpacker.skipValue();
      }
    }
    return new Caller(gate, connId, clientId, client);
  }

  private ServiceReply readServiceReply(int entries, ByteBuf body) throws IOException {
    long grid = 0;
    int code = 0;
    String error = null;
    ByteBuf reply = null;
    ByteBuf refused = null;
    for (int i = 0; i < entries; i++) {
      switch (readKey()) {
        case "GRid" -> grid = readId("GRid");
        case "Code" -> code = readInt("Code", 0);
        case "Error" -> error = readString("Error");
        case "Reply" -> reply = readBin("Reply", body);
        case "Refused" -> refused = readBin("Refused", body);
        default -> unpacker.skipValue();
      }
    }
    return new ServiceReply(grid, code, error, reply, refused);
  }

  private ListenAddrRequest readListenAddrRequest(int entries) throws IOException {
    long rid = 0;
    for (int i = 0; i < entries; i++) {
      if ("Rid".equals(readKey())) {
        rid = readId("Rid");
      } else {
        unpacker.skipValue();
      }
    }
    return new ListenAddrRequest(rid);
  }

  private ListenAddrResponse readListenAddrResponse(int entries) throws IOException {
    long rid = 0;
    String addr = null;
    for (int i = 0; i < entries; i++) {
      switch (readKey()) {
        case "Rid" -> rid = readId("Rid");
        case "Addr" -> addr = readString("Addr");
        default -> unpacker.skipValue();
      }
    }
    return new ListenAddrResponse(rid, addr);
  }

  private GatePush readGatePush(int entries, ByteBuf body) throws IOException {
    String connId = null;
    String clientId = null;
    String pushId = null;
    ByteBuf innerRpc = null;
    String trace = null;
    for (int i = 0; i < entries; i++) {
      switch (readKey()) {
        case "ConnId" -> connId = readString("ConnId");
        case "ClientId" -> clientId = readString("ClientId");
        case "PushId" -> pushId = readString("PushId");
        case "InnerRpc" -> innerRpc = readBin("InnerRpc", body);
        case "Trace" -> trace = readTrace();
        default -> unpacker.skipValue();
      }
    }
    return new GatePush(connId, clientId, pushId, innerRpc, trace);
  }

  /**
   * The next map key, or {@code null} (the caller skips its value) when it is not a string the
   * protocol knows. Keys are matched by their bytes, never decoded.
   */
  /**
   * What {@link #readKey} returns for a key it does not know: never null, so the key switches stay
   * plain string switches (a {@code case null} makes them pattern switches, bootstrapped through
   * method handles, several times slower per key).
   */
  private static final String UNKNOWN_KEY = "";

  private String readKey() throws IOException {
    if (unpacker.getNextFormat() == MessageFormat.FIXSTR) {
      int at = currentBase + (int) unpacker.getTotalReadBytes();
      int length = current[at] & 0x1f;
      // A truncated body is left to the unpacker, which refuses it.
      String key = at + 1 + length <= currentEnd ? Keys.KNOWN_KEYS.find(current, at + 1, length) : null;
      unpacker.skipValue();
      return key == null ? UNKNOWN_KEY : key;
    }
    unpacker.skipValue();
    return UNKNOWN_KEY;
  }

  /** A string that is usually one of {@code known} (a message name): decoded only when it is not. */
  private String readKnown(KnownStrings known) throws IOException {
    if (unpacker.getNextFormat() == MessageFormat.FIXSTR) {
      int at = currentBase + (int) unpacker.getTotalReadBytes();
      int length = current[at] & 0x1f;
      String found = at + 1 + length <= currentEnd ? known.find(current, at + 1, length) : null;
      if (found != null) {
        unpacker.skipValue();
        return found;
      }
    }
    return unpacker.unpackString();
  }

  private void skipEntries(int entries) throws IOException {
    for (int i = 0; i < entries; i++) {
      unpacker.skipValue(2);
    }
  }

  private String readString(String key) throws IOException {
    if (unpacker.tryUnpackNil()) {
      return null;
    }
    expect(ValueType.STRING, key);
    MessageFormat format = unpacker.getNextFormat();
    if (format == MessageFormat.FIXSTR || format == MessageFormat.STR8) {
      // Short strings (names, ids, labels) repeat from frame to frame: decode each once.
      int at = currentBase + (int) unpacker.getTotalReadBytes();
      int header = format == MessageFormat.FIXSTR ? 1 : 2;
      int length = format == MessageFormat.FIXSTR ? current[at] & 0x1f
          : at + 1 < currentEnd ? current[at + 1] & 0xff : Integer.MAX_VALUE;
      if (length <= StringCache.MAX_LENGTH && at + header + length <= currentEnd) {
        String value = strings.get(current, at + header, length);
        unpacker.skipValue();
        return value;
      }
    }
    return unpacker.unpackString();
  }

  /**
   * A {@code Trace}: different in every call, so not worth a place in the string cache; a
   * {@code traceparent} is ASCII, read straight from the bytes.
   */
  private String readTrace() throws IOException {
    if (unpacker.tryUnpackNil()) {
      return null;
    }
    expect(ValueType.STRING, "Trace");
    MessageFormat format = unpacker.getNextFormat();
    if (format == MessageFormat.FIXSTR || format == MessageFormat.STR8) {
      int at = currentBase + (int) unpacker.getTotalReadBytes();
      int header = format == MessageFormat.FIXSTR ? 1 : 2;
      int length = format == MessageFormat.FIXSTR ? current[at] & 0x1f
          : at + 1 < currentEnd ? current[at + 1] & 0xff : Integer.MAX_VALUE;
      if (at + header + length <= currentEnd && ascii(current, at + header, length)) {
        String value = new String(current, at + header, length, StandardCharsets.ISO_8859_1);
        unpacker.skipValue();
        return value;
      }
    }
    return unpacker.unpackString();
  }

  private static boolean ascii(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (bytes[i] < 0) {
        return false;
      }
    }
    return true;
  }

  private boolean readBool(String key) throws IOException {
    if (unpacker.tryUnpackNil()) {
      return false;
    }
    expect(ValueType.BOOLEAN, key);
    return unpacker.unpackBoolean();
  }

  /** An id ({@code Rid}, {@code GRid}): any uint64, values of 2^63 and above kept as their bits. */
  private long readId(String key) throws IOException {
    if (unpacker.tryUnpackNil()) {
      return 0;
    }
    expect(ValueType.INTEGER, key);
    if (unpacker.getNextFormat() == MessageFormat.UINT64) {
      return unpacker.unpackBigInteger().longValue();
    }
    return nonNegative(key, unpacker.unpackLong());
  }

  /** A duration in ms: any uint64, values beyond a long saturating to {@link Long#MAX_VALUE}. */
  private long readMillis(String key) throws IOException {
    if (unpacker.tryUnpackNil()) {
      return Envelope.ABSENT;
    }
    expect(ValueType.INTEGER, key);
    if (unpacker.getNextFormat() == MessageFormat.UINT64) {
      long bits = unpacker.unpackBigInteger().longValue();
      return bits < 0 ? Long.MAX_VALUE : bits;
    }
    return nonNegative(key, unpacker.unpackLong());
  }

  /** A small count or code: a uint that fits an int. */
  private int readInt(String key, int absent) throws IOException {
    if (unpacker.tryUnpackNil()) {
      return absent;
    }
    expect(ValueType.INTEGER, key);
    long value;
    if (unpacker.getNextFormat() == MessageFormat.UINT64) {
      java.math.BigInteger big = unpacker.unpackBigInteger();
      if (big.bitLength() > 31) {
        throw malformed(key + " is out of range: " + big);
      }
      value = big.longValue();
    } else {
      value = nonNegative(key, unpacker.unpackLong());
    }
    if (value > Integer.MAX_VALUE) {
      throw malformed(key + " is out of range: " + value);
    }
    return (int) value;
  }

  private static long nonNegative(String key, long value) {
    if (value < 0) {
      throw malformed(key + " must be an unsigned integer, but was " + value);
    }
    return value;
  }

  private ByteBuf readBin(String key, ByteBuf body) throws IOException {
    if (unpacker.tryUnpackNil()) {
      return null;
    }
    expect(ValueType.BINARY, key);
    int headerBytes = switch (unpacker.getNextFormat()) {
      case BIN8 -> 2;
      case BIN16 -> 3;
      default -> 5;
    };
    int start = (int) unpacker.getTotalReadBytes() + headerBytes;
    unpacker.skipValue();
    int end = (int) unpacker.getTotalReadBytes();
    return body.slice(body.readerIndex() + start, end - start);
  }

  private Map<String, String> readStringMap(String key) throws IOException {
    if (unpacker.tryUnpackNil()) {
      return null;
    }
    expect(ValueType.MAP, key);
    int entries = unpacker.unpackMapHeader();
    Map<String, String> map = new HashMap<>(Math.min(entries, 16) * 2);
    for (int i = 0; i < entries; i++) {
      String k = readString(key + " key");
      String v = readString(key + "." + k);
      if (k == null || v == null) {
        throw malformed(key + " holds a nil key or value");
      }
      map.put(k, v);
    }
    return map;
  }

  private void expect(ValueType type, String key) throws IOException {
    ValueType actual = unpacker.getNextFormat().getValueType();
    if (actual != type) {
      throw malformed(key + " must be " + type.name().toLowerCase() + ", but was " + actual.name().toLowerCase());
    }
  }

  private static FrameException malformed(String message) {
    return new FrameException(FrameException.Kind.MALFORMED, message);
  }

  // ---------------------------------------------------------------- writing

  private void write(Envelope envelope, ByteBuf out) {
    if (envelope instanceof UnknownMessage u) {
      throw new IllegalArgumentException("an unknown message cannot be sent: " + u.name());
    }
    output.target(out);
    int start = out.writerIndex();
    boolean written = false;
    try {
      packer.packArrayHeader(2);
      packer.writePayload(Keys.name(envelope.type()));
      switch (envelope) {
        case AuthRequest a -> {
          packer.packMapHeader(presentUint(a.version()) + present(a.token()) + present(a.client()));
          optionalUint(Keys.VERSION, a.version());
          optional(Keys.TOKEN, a.token());
          optional(Keys.CLIENT, a.client());
        }
        case AuthResponse a -> {
          packer.packMapHeader(2 + presentError(a.error()) + present(a.connId()) + present(a.gate()));
          key(Keys.CODE).packInt(a.code());
          optionalError(a.error());
          optional(Keys.CONN_ID, a.connId());
          optional(Keys.GATE, a.gate());
          key(Keys.HEARTBEAT_SEC).packInt(a.heartbeatSec());
        }
        case RouteRequest r -> {
          packer.packMapHeader(1 + present(r.namespace()) + present(r.serviceName()) + present(r.innerRpc())
              + presentUint(r.timeoutMs()) + present(r.orderKey()) + present(r.hashKey())
              + (r.tags().isEmpty() ? 0 : 1) + present(r.trace()) + present(r.failMode()) + (r.broadcast() ? 1 : 0));
          uint(Keys.RID, r.rid());
          optional(Keys.NAMESPACE, r.namespace());
          optional(Keys.SERVICE_NAME, r.serviceName());
          optional(Keys.INNER_RPC, r.innerRpc());
          optionalUint(Keys.TIMEOUT, r.timeoutMs());
          optional(Keys.ORDER_KEY, r.orderKey());
          optional(Keys.HASH_KEY, r.hashKey());
          if (!r.tags().isEmpty()) {
            key(Keys.TAGS).packMapHeader(r.tags().size());
            for (Map.Entry<String, String> tag : r.tags().entrySet()) {
              packer.packString(tag.getKey());
              packer.packString(tag.getValue());
            }
          }
          optional(Keys.TRACE, r.trace());
          optional(Keys.FAIL_MODE, r.failMode());
          if (r.broadcast()) {
            key(Keys.BROADCAST).packBoolean(true);
          }
        }
        case RouteResponse r -> {
          packer.packMapHeader(2 + presentError(r.error()) + present(r.reply()));
          uint(Keys.RID, r.rid());
          key(Keys.CODE).packInt(r.code());
          optionalError(r.error());
          optional(Keys.REPLY, r.reply());
        }
        case LoginRequest l -> {
          packer.packMapHeader(1 + present(l.clientId()));
          uint(Keys.RID, l.rid());
          optional(Keys.CLIENT_ID, l.clientId());
        }
        case LogoffRequest l -> {
          packer.packMapHeader(1 + present(l.clientId()));
          uint(Keys.RID, l.rid());
          optional(Keys.CLIENT_ID, l.clientId());
        }
        case ClientPush p -> {
          packer.packMapHeader(present(p.clientId()) + 1 + present(p.innerRpc()) + present(p.trace()));
          optional(Keys.CLIENT_ID, p.clientId());
          key(Keys.PUSH_ID).packString(p.pushId() == null ? "" : p.pushId());
          optional(Keys.INNER_RPC, p.innerRpc());
          optional(Keys.TRACE, p.trace());
        }
        case PushReply p -> {
          packer.packMapHeader(present(p.clientId()) + present(p.pushId()));
          optional(Keys.CLIENT_ID, p.clientId());
          optional(Keys.PUSH_ID, p.pushId());
        }
        case HeartbeatRequest h -> packer.packMapHeader(0);
        case HeartbeatResponse h -> packer.packMapHeader(0);
        case ErrorNotice n -> {
          packer.packMapHeader(1 + presentError(n.error()));
          key(Keys.CODE).packInt(n.code());
          optionalError(n.error());
        }
        case AccessReport a -> {
          packer.packMapHeader(present(a.namespace()) + present(a.serviceName()) + present(a.instance()) + 1);
          optional(Keys.NAMESPACE, a.namespace());
          optional(Keys.SERVICE_NAME, a.serviceName());
          optional(Keys.INSTANCE, a.instance());
          key(Keys.RPCS).packMapHeader(a.rpcs().size());
          for (Map.Entry<String, MethodAccess> rpc : a.rpcs().entrySet()) {
            packer.packString(rpc.getKey());
            packer.packMapHeader(3);
            key(Keys.PUBLIC).packBoolean(rpc.getValue().isPublic());
            key(Keys.IDEMPOTENT).packBoolean(rpc.getValue().idempotent());
            key(Keys.ORDERED).packBoolean(rpc.getValue().ordered());
          }
        }
        case ServiceCall c -> {
          packer.packMapHeader(1 + present(c.innerRpc()) + presentUint(c.timeoutMs()) + present(c.orderKey())
              + present(c.trace()) + present(c.caller()));
          uint(Keys.GRID, c.grid());
          optional(Keys.INNER_RPC, c.innerRpc());
          optionalUint(Keys.TIMEOUT, c.timeoutMs());
          optional(Keys.ORDER_KEY, c.orderKey());
          optional(Keys.TRACE, c.trace());
          if (c.caller() != null) {
            Caller caller = c.caller();
            key(Keys.CALLER).packMapHeader(present(caller.gate()) + present(caller.connId())
                + present(caller.clientId()) + present(caller.client()));
            optional(Keys.GATE, caller.gate());
            optional(Keys.CONN_ID, caller.connId());
            optional(Keys.CLIENT_ID, caller.clientId());
            optional(Keys.CLIENT, caller.client());
          }
        }
        case ServiceReply r -> {
          packer.packMapHeader(2 + presentError(r.error()) + present(r.reply()) + present(r.refused()));
          uint(Keys.GRID, r.grid());
          key(Keys.CODE).packInt(r.code());
          optionalError(r.error());
          optional(Keys.REPLY, r.reply());
          optional(Keys.REFUSED, r.refused());
        }
        case ListenAddrRequest l -> {
          packer.packMapHeader(1);
          uint(Keys.RID, l.rid());
        }
        case ListenAddrResponse l -> {
          packer.packMapHeader(1 + present(l.addr()));
          uint(Keys.RID, l.rid());
          optional(Keys.ADDR, l.addr());
        }
        case GatePush p -> {
          packer.packMapHeader(present(p.connId()) + present(p.clientId()) + 1 + present(p.innerRpc())
              + present(p.trace()));
          optional(Keys.CONN_ID, p.connId());
          optional(Keys.CLIENT_ID, p.clientId());
          key(Keys.PUSH_ID).packString(p.pushId() == null ? "" : p.pushId());
          optional(Keys.INNER_RPC, p.innerRpc());
          optional(Keys.TRACE, p.trace());
        }
        case Envelope.Draining d -> packer.packMapHeader(0);
        case Envelope.DrainingAck d -> packer.packMapHeader(0);
        case UnknownMessage u -> throw new IllegalStateException("checked above");
      }
      packer.flush();
      written = true;
    } catch (IOException e) {
      throw new IllegalStateException("writing to a buffer cannot fail", e);
    } finally {
      if (!written) {
        // Whatever the packer holds belongs to the failed envelope: drop it, not prefix the next.
        packer.clear();
        out.writerIndex(start);
      }
      output.target(null);
    }
  }

  private static int present(Object value) {
    return value == null ? 0 : 1;
  }

  private static int presentError(String error) {
    return error == null || error.isEmpty() ? 0 : 1;
  }

  private static int presentUint(long value) {
    return value == Envelope.ABSENT ? 0 : 1;
  }

  private MessagePacker key(byte[] encodedKey) throws IOException {
    return packer.writePayload(encodedKey);
  }

  private void uint(byte[] encodedKey, long value) throws IOException {
    key(encodedKey);
    if (value < 0) {
      packer.packBigInteger(new java.math.BigInteger(Long.toUnsignedString(value)));
    } else {
      packer.packLong(value);
    }
  }

  private void optionalUint(byte[] encodedKey, long value) throws IOException {
    if (value != Envelope.ABSENT) {
      uint(encodedKey, value);
    }
  }

  private void optional(byte[] encodedKey, String value) throws IOException {
    if (value != null) {
      key(encodedKey).packString(value);
    }
  }

  private void optionalError(String error) throws IOException {
    if (error != null && !error.isEmpty()) {
      key(Keys.ERROR).packString(error);
    }
  }

  private void optional(byte[] encodedKey, ByteBuf value) throws IOException {
    if (value != null) {
      int length = value.readableBytes();
      key(encodedKey).packBinaryHeader(length);
      packer.flush();
      output.target().writeBytes(value, value.readerIndex(), length);
    }
  }

  /** Map keys and message names, encoded once as MessagePack strings. */
  private static final class Keys {
    static final KnownStrings KNOWN_KEYS = new KnownStrings(java.util.List.of("Version", "Token", "Client", "Code",
        "Error", "ConnId", "Gate", "HeartbeatSec", "Rid", "Namespace", "ServiceName", "InnerRpc", "Timeout", "OrderKey",
        "HashKey", "Tags", "Trace", "Reply", "ClientId", "PushId", "Instance", "Rpcs", "Public", "Idempotent",
        "Ordered", "GRid", "Caller", "Addr", "FailMode", "Broadcast", "Refused"));
    static final KnownStrings KNOWN_NAMES = new KnownStrings(java.util.Arrays.stream(MessageType.values())
        .filter(t -> t != MessageType.UNKNOWN).map(MessageType::wireName).toList());

    static final byte[] VERSION = str("Version");
    static final byte[] TOKEN = str("Token");
    static final byte[] CLIENT = str("Client");
    static final byte[] CODE = str("Code");
    static final byte[] ERROR = str("Error");
    static final byte[] CONN_ID = str("ConnId");
    static final byte[] GATE = str("Gate");
    static final byte[] HEARTBEAT_SEC = str("HeartbeatSec");
    static final byte[] RID = str("Rid");
    static final byte[] NAMESPACE = str("Namespace");
    static final byte[] SERVICE_NAME = str("ServiceName");
    static final byte[] INNER_RPC = str("InnerRpc");
    static final byte[] TIMEOUT = str("Timeout");
    static final byte[] ORDER_KEY = str("OrderKey");
    static final byte[] HASH_KEY = str("HashKey");
    static final byte[] TAGS = str("Tags");
    static final byte[] TRACE = str("Trace");
    static final byte[] REPLY = str("Reply");
    static final byte[] CLIENT_ID = str("ClientId");
    static final byte[] PUSH_ID = str("PushId");
    static final byte[] INSTANCE = str("Instance");
    static final byte[] RPCS = str("Rpcs");
    static final byte[] PUBLIC = str("Public");
    static final byte[] IDEMPOTENT = str("Idempotent");
    static final byte[] ORDERED = str("Ordered");
    static final byte[] GRID = str("GRid");
    static final byte[] CALLER = str("Caller");
    static final byte[] ADDR = str("Addr");
    static final byte[] FAIL_MODE = str("FailMode");
    static final byte[] BROADCAST = str("Broadcast");
    static final byte[] REFUSED = str("Refused");

    private static final byte[][] NAMES = new byte[MessageType.values().length][];

    static {
      for (MessageType t : MessageType.values()) {
        NAMES[t.ordinal()] = str(t.wireName());
      }
    }

    static byte[] name(MessageType type) {
      return NAMES[type.ordinal()];
    }

    /** A fixstr (all names and keys are shorter than 32 bytes). */
    private static byte[] str(String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      if (utf8.length > 31) {
        throw new IllegalArgumentException("not a fixstr: " + s);
      }
      byte[] encoded = new byte[utf8.length + 1];
      encoded[0] = (byte) (0xa0 | utf8.length);
      System.arraycopy(utf8, 0, encoded, 1, utf8.length);
      return encoded;
    }
  }
}
