package io.weft.core.events;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of an event or persistent-call stream: its id ({@code <ms>-<seq>}, given by Redis) and
 * its fields, as bytes (the event itself is MessagePack; the metadata is UTF-8 text). The field
 * names are part of the wire contract (PROTOCOL.md section 14).
 *
 * @param fields {@code null} when the entry was deleted (trimmed) while still pending
 */
public record StreamEntry(String id, Map<String, byte[]> fields) {

  /** The event, MessagePack (events). */
  public static final String DATA = "data";
  /** The call, an {@code InnerRpc}: MessagePack {@code [method, args]} (persistent calls). */
  public static final String CALL = "call";
  /** A persistent call's message id. */
  public static final String MESSAGE_ID = "id";
  /** Who published: {@code <namespace>/<service>@<instance>}, or any label. */
  public static final String PUBLISHER = "publisher";
  /** The trace id the publisher carried. */
  public static final String TRACE = "trace";
  /** The publisher's ordering key. */
  public static final String KEY = "key";
  /** Milliseconds since the epoch, in decimal. */
  public static final String PUBLISHED_AT = "publishedAt";
  /** Only this group handles the entry (a replayed dead letter); the others acknowledge it unread. */
  public static final String GROUP = "group";
  /** The id of the entry a replay copies (in the topic's stream). */
  public static final String REPLAY_OF = "replayOf";
  /** Dead letters: the entry's id in its stream. */
  public static final String ORIGIN = "origin";
  /** Dead letters: why the group gave up. */
  public static final String REASON = "reason";
  /** Dead letters: how many times it was delivered. */
  public static final String ATTEMPTS = "attempts";
  /** Dead letters: the consumer that gave up. */
  public static final String CONSUMER = "consumer";
  /** Dead letters: when, in milliseconds since the epoch. */
  public static final String DEAD_AT = "deadAt";

  public StreamEntry {
    fields = fields == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** True when Redis no longer holds the entry (trimmed, or deleted, while pending). */
  public boolean deleted() {
    return fields == null;
  }

  public byte[] bytes(String field) {
    return fields == null ? null : fields.get(field);
  }

  /** A field as UTF-8 text, or {@code null}. */
  public String text(String field) {
    byte[] b = bytes(field);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  /** A decimal field, or {@code fallback} when absent or not a number. */
  public long number(String field, long fallback) {
    String s = text(field);
    if (s == null) {
      return fallback;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  public byte[] data() {
    return bytes(DATA);
  }

  public String publisher() {
    return text(PUBLISHER);
  }

  public String trace() {
    return text(TRACE);
  }

  public String key() {
    return text(KEY);
  }

  public long publishedAt() {
    return number(PUBLISHED_AT, 0);
  }

  /** The only group meant to handle this entry, or {@code null} for every group. */
  public String group() {
    return text(GROUP);
  }

  @Override
  public String toString() {
    return "StreamEntry{" + id + (fields == null ? ", deleted" : ", " + fields.keySet()) + "}";
  }
}
