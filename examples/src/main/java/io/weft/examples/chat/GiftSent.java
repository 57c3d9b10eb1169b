package io.weft.examples.chat;

/**
 * The event {@code gift.sent}: {@code from} sent {@code to} a {@code gift} worth {@code value}
 * (MessagePack keys {@code From}, {@code To}, {@code Gift}, {@code Value}, {@code Room}).
 * Published by {@code demo/chat}, handled by {@code demo/leaderboard} and {@code demo/experience}.
 */
public record GiftSent(String from, String to, String gift, long value, String room) {

  /** The topic it is published to. */
  public static final String TOPIC = "gift.sent";
}
