package io.weft.core.trace;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * W3C Trace Context {@code traceparent} values, the form of every {@code Trace} on the wire
 * (PROTOCOL.md section 16):
 * <pre>
 *   00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01
 *   |  |                                |                |
 *   |  trace-id: 32 lowercase hex,      parent-id: 16    flags: 2 hex, bit 0 = sampled
 *   |  not all zeros                    hex, not all 0
 *   version: 00 (a later one, not ff, may append "-..." after the 55th character)
 * </pre>
 * These helpers run on the hot path: they allocate nothing but the string they return.
 */
public final class TraceParent {

  /** The length of a version-00 {@code traceparent}. */
  public static final int LENGTH = 55;

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private TraceParent() {
  }

  /** True when {@code value} is a {@code traceparent} a receiver must honour. */
  public static boolean isValid(String value) {
    if (value == null || value.length() < LENGTH) {
      return false;
    }
    int high = hexValue(value.charAt(0));
    int low = hexValue(value.charAt(1));
    if (high < 0 || low < 0 || (high == 15 && low == 15)) {
      return false;
    }
    boolean version00 = high == 0 && low == 0;
    if (version00 ? value.length() != LENGTH : value.length() > LENGTH && value.charAt(LENGTH) != '-') {
      return false;
    }
    return value.charAt(2) == '-' && value.charAt(35) == '-' && value.charAt(52) == '-'
        && hex(value, 3, 35) && hex(value, 36, 52) && hex(value, 53, 55)
        && !zeros(value, 3, 35) && !zeros(value, 36, 52);
  }

  /**
   * What a gate that records no span of its own forwards: {@code incoming} itself when it is a
   * version-00 {@code traceparent}; its version-00 form when it is a valid later version; else
   * (absent, malformed) a new trace, marked sampled so that processes downstream that export
   * spans record it.
   */
  public static String continueOrStart(String incoming) {
    if (isValid(incoming)) {
      return incoming.length() == LENGTH && incoming.charAt(0) == '0' && incoming.charAt(1) == '0'
          ? incoming : "00" + incoming.substring(2, LENGTH);
    }
    return start(true);
  }

  /** A new trace: random trace-id and parent-id. */
  public static String start(boolean sampled) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high;
    long low;
    do {
      high = random.nextLong();
      low = random.nextLong();
    } while (high == 0 && low == 0);
    long span;
    do {
      span = random.nextLong();
    } while (span == 0);
    byte[] b = new byte[LENGTH];
    b[0] = '0';
    b[1] = '0';
    b[2] = '-';
    hex(high, b, 3);
    hex(low, b, 19);
    b[35] = '-';
    hex(span, b, 36);
    b[52] = '-';
    b[53] = '0';
    b[54] = (byte) (sampled ? '1' : '0');
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /** The version-00 {@code traceparent} of a span, from its hex ids and flags. */
  public static String of(String traceIdHex, String spanIdHex, String flagsHex) {
    return "00-" + traceIdHex + "-" + spanIdHex + "-" + flagsHex;
  }

  /** The 32-hex trace-id of a valid {@code traceparent}, else {@code null}. */
  public static String traceId(String traceparent) {
    return isValid(traceparent) ? traceparent.substring(3, 35) : null;
  }

  /** The 16-hex parent-id (the span of the sender) of a valid {@code traceparent}, else {@code null}. */
  public static String parentId(String traceparent) {
    return isValid(traceparent) ? traceparent.substring(36, 52) : null;
  }

  /** The sampled flag of a valid {@code traceparent}; false when it is not valid. */
  public static boolean sampled(String traceparent) {
    return isValid(traceparent) && (hexValue(traceparent.charAt(54)) & 1) == 1;
  }

  private static void hex(long value, byte[] out, int at) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = HEX[(int) (value & 0xf)];
      value >>>= 4;
    }
  }

  private static boolean hex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (hexValue(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean zeros(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }

  /** Lowercase hex only: the specification refuses uppercase. */
  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }
}
