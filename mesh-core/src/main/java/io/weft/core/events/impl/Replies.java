package io.weft.core.events.impl;

import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import io.weft.core.events.StreamEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads RESP2 replies of stream commands and of {@link Scripts}. */
public final class Replies {

  private Replies() {
  }

  /** A stream entry {@code [id, [field, value, ...]]}; the fields are nil for an entry deleted while pending. */
  public static StreamEntry entry(Response entry) {
    return entry(entry.get(0).toString(), entry.get(1));
  }

  /** An entry from its id and its {@code [field, value, ...]} array (nil: deleted). */
  public static StreamEntry entry(String id, Response fields) {
    if (fields == null || fields.type() != ResponseType.MULTI) {
      return new StreamEntry(id, null);
    }
    Map<String, byte[]> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      Response value = fields.get(i + 1);
      map.put(fields.get(i).toString(), value == null ? new byte[0] : value.toBytes());
    }
    return new StreamEntry(id, map);
  }

  /** The entries of a range ({@code XRANGE}). */
  public static List<StreamEntry> entries(Response range) {
    List<StreamEntry> out = new ArrayList<>();
    if (range != null) {
      for (int i = 0; i < range.size(); i++) {
        out.add(entry(range.get(i)));
      }
    }
    return out;
  }

  /** The entries of one stream in an {@code XREADGROUP} reply; none when it timed out (nil). */
  public static List<StreamEntry> read(Response reply) {
    if (reply == null || reply.size() == 0) {
      return List.of();
    }
    return entries(reply.get(0).get(1));
  }

  /** An entry with its delivery count, as the scripts return them. */
  public record Counted(StreamEntry entry, int deliveries) {
  }

  /** {@code {{id, deliveries, fields}, ...}}. */
  public static List<Counted> counted(Response list) {
    List<Counted> out = new ArrayList<>();
    if (list != null) {
      for (int i = 0; i < list.size(); i++) {
        Response r = list.get(i);
        out.add(new Counted(entry(r.get(0).toString(), r.get(2)), r.get(1).toInteger()));
      }
    }
    return out;
  }

  /** A flat {@code [key, value, ...]} reply ({@code XINFO}) as a map. */
  public static Map<String, Response> map(Response flat) {
    Map<String, Response> map = new HashMap<>();
    if (flat != null) {
      for (int i = 0; i + 1 < flat.size(); i += 2) {
        map.put(flat.get(i).toString(), flat.get(i + 1));
      }
    }
    return map;
  }

  public static long number(Response r, long fallback) {
    if (r == null) {
      return fallback;
    }
    try {
      return r.toLong();
    } catch (RuntimeException e) {
      return fallback;
    }
  }

  public static String text(Response r) {
    return r == null ? null : r.toString();
  }
}
