package io.weft.push;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Push ids that sort by creation time: 26 characters of Crockford base32, ULID layout, 10 for the
 * milliseconds since the epoch and 16 for 80 random bits.
 * <p>
 * Within one JVM the ids are strictly increasing: a second id in the same millisecond (or after the
 * wall clock stepped back) takes the previous random part plus one instead of new random bits, so
 * that the store's tie-break on {@code _id} keeps the order of {@link SafePushStore#store} calls.
 * Across JVMs they sort by millisecond, and the 80 random bits keep them apart.
 * <p>
 * Written here rather than taken from a library: it is forty lines, and the ULID libraries on Maven
 * Central are small one-person projects that would be another dependency to converge and audit.
 */
public final class PushIds {

  /** The length of every id. */
  public static final int LENGTH = 26;

  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final int TIME_CHARS = 10;
  private static final long MAX_TIME = (1L << 48) - 1;
  private static final PushIds DEFAULT = new PushIds();

  private long lastMs = -1;
  private int randomHigh; // the top 16 of the 80 random bits
  private long randomLow; // the other 64

  PushIds() {
  }

  /** A new id, greater than every id this JVM made before. */
  public static String next() {
    return DEFAULT.nextAt(System.currentTimeMillis());
  }

  /** The creation time in an id, in milliseconds since the epoch. */
  public static long timestampOf(String pushId) {
    if (!isValid(pushId)) {
      throw new IllegalArgumentException("not a push id: '" + pushId + "'");
    }
    long t = 0;
    for (int i = 0; i < TIME_CHARS; i++) {
      t = (t << 5) | decode(pushId.charAt(i));
    }
    return t;
  }

  /** Whether {@code s} has the shape of an id this class makes. */
  public static boolean isValid(String s) {
    if (s == null || s.length() != LENGTH || decode(s.charAt(0)) > 7) { // 48 bits leave the first char <= 7
      return false;
    }
    for (int i = 0; i < LENGTH; i++) {
      if (decode(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /** The id at {@code nowMs}; package-private so that a test can step the clock back. */
  synchronized String nextAt(long nowMs) {
    if (nowMs > lastMs) {
      lastMs = Math.min(nowMs, MAX_TIME);
      ThreadLocalRandom random = ThreadLocalRandom.current();
      randomHigh = random.nextInt(1 << 16);
      randomLow = random.nextLong();
    } else if (++randomLow == 0 && (randomHigh = (randomHigh + 1) & 0xFFFF) == 0) {
      lastMs++; // 2^80 ids in one millisecond: borrow the next one rather than repeat
    }
    char[] out = new char[LENGTH];
    long t = lastMs;
    for (int i = TIME_CHARS - 1; i >= 0; i--) {
      out[i] = ALPHABET[(int) (t & 31)];
      t >>>= 5;
    }
    long high = randomHigh;
    long low = randomLow;
    for (int i = LENGTH - 1; i >= TIME_CHARS; i--) {
      out[i] = ALPHABET[(int) (low & 31)];
      low = (low >>> 5) | (high << 59);
      high >>>= 5;
    }
    return new String(out);
  }

  private static int decode(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    for (int i = 10; i < ALPHABET.length; i++) {
      if (ALPHABET[i] == c) {
        return i;
      }
    }
    return -1;
  }
}
