package io.weft.examples.chat;

/**
 * A line of a chat room, as {@code demo/chat} pushes it to the room's members (method
 * {@code Message}) and replays it to those who join: {@code Seq} counts the room's lines from 1,
 * {@code Kind} is {@code text}, {@code gift} or {@code join}, {@code At} the server's epoch
 * milliseconds.
 */
public record ChatMessage(String room, long seq, String from, String text, String kind, long at) {

  /** The pushed method. */
  public static final String PUSH = "Message";
}
