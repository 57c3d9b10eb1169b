package io.weft.core.codec;

/** Business args or a reply that cannot be mapped to or from MessagePack. */
public final class CodecException extends RuntimeException {

  public CodecException(String message, Throwable cause) {
    super(message, cause, false, false);
  }

  public CodecException(String message) {
    super(message, null, false, false);
  }
}
