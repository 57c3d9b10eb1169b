package io.weft.core.events;

/**
 * A failure that trying again cannot fix (an event that cannot be decoded, a call to an unknown
 * method): the entry goes to its group's dead-letter stream at once, whatever attempts are left.
 * A handler may fail with it for the same reason.
 */
public final class DeadLetterException extends RuntimeException {

  public DeadLetterException(String reason) {
    super(reason, null, false, false);
  }
}
