package io.weft.core.auth.impl;

/**
 * Character rules for token parts and for the names a token carries.
 * <p>
 * A token is checked to hold only base64url characters and dots before anything else looks at
 * it, so every later step (splitting, the MAC over its ASCII bytes) works on plain ASCII. Subjects
 * and labels end up in logs and in per-source limit keys; control, format (bidi overrides,
 * zero-width) and line-separator characters are refused so a client cannot forge log lines or
 * make two different-looking labels print alike.
 */
public final class TokenChars {

  /** Longest subject or label, in characters. */
  public static final int MAX_NAME_LENGTH = 256;

  private TokenChars() {
  }

  /** Only {@code A-Z a-z 0-9 - _} and {@code .}. */
  public static boolean isTokenText(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!isBase64Url(c) && c != '.') {
        return false;
      }
    }
    return true;
  }

  /** Only {@code A-Z a-z 0-9 - _}, between {@code min} and {@code max} characters. */
  public static boolean isBase64Url(String s, int min, int max) {
    if (s.length() < min || s.length() > max) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isBase64Url(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** 1 to {@link #MAX_NAME_LENGTH} characters, none invisible or line-breaking. */
  public static boolean isPrintableName(String s) {
    if (s.isEmpty() || s.length() > MAX_NAME_LENGTH) {
      return false;
    }
    return s.codePoints().noneMatch(cp -> {
      int type = Character.getType(cp);
      return Character.isISOControl(cp) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
    });
  }

  private static boolean isBase64Url(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }
}
