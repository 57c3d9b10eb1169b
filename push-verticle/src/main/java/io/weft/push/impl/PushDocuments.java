package io.weft.push.impl;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.push.PushStatus;
import io.weft.push.SafePush;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The {@code push_messages} document layout of PROTOCOL.md section 9, and the queries over it, in
 * the Vert.x Mongo client's JSON dialect: a BSON date is {@code {"$date": "<ISO-8601>"}} and binary
 * data {@code {"$binary": bytes}}. Dates must be real BSON dates, not strings or numbers, or a
 * MongoDB TTL index would never expire them and range queries would not match them.
 * <p>
 * {@link #fromDocument} is strict: anything that would not make a valid {@link SafePush} throws,
 * and the store skips that document rather than hand a half-read push to a client.
 */
public final class PushDocuments {

  public static final String ID = "_id";
  public static final String CLIENT_ID = "clientId";
  public static final String INNER_RPC = "innerRpc";
  public static final String STATUS = "status";
  public static final String CREATED_AT = "createdAt";
  public static final String ARRIVED_AT = "arrivedAt";
  public static final String ATTEMPTS = "attempts";
  public static final String EXPIRE_AT = "expireAt";

  private static final String DATE = "$date";
  private static final String BINARY = "$binary";

  private PushDocuments() {
  }

  public static JsonObject toDocument(SafePush push) {
    return new JsonObject()
        .put(ID, push.pushId())
        .put(CLIENT_ID, push.clientId())
        .put(INNER_RPC, new JsonObject().put(BINARY, push.innerRpc().getBytes()))
        .put(STATUS, push.status().name())
        .put(CREATED_AT, date(push.createdAt()))
        .put(ARRIVED_AT, push.arrivedAt() == null ? null : date(push.arrivedAt()))
        .put(ATTEMPTS, push.attempts())
        .put(EXPIRE_AT, date(push.expireAt()));
  }

  /** The push in {@code doc}; throws {@link IllegalArgumentException} naming the field when it is malformed. */
  public static SafePush fromDocument(JsonObject doc) {
    try {
      Object attempts = doc.getValue(ATTEMPTS);
      if (attempts != null && !(attempts instanceof Integer || attempts instanceof Long)) {
        throw new IllegalArgumentException(ATTEMPTS + " is not a whole number: " + attempts);
      }
      return new SafePush(
          string(doc, ID),
          string(doc, CLIENT_ID),
          binary(doc, INNER_RPC),
          status(doc),
          instant(doc, CREATED_AT, true),
          instant(doc, EXPIRE_AT, true),
          instant(doc, ARRIVED_AT, false),
          attempts == null ? 0 : Math.toIntExact(((Number) attempts).longValue()));
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) { // ClassCastException, ArithmeticException: a field of the wrong type
      throw new IllegalArgumentException(e.toString(), e);
    }
  }

  /** The {@code createdAt} of a document that has a date there; throws otherwise. */
  public static Instant createdAtOf(JsonObject doc) {
    return instant(doc, CREATED_AT, true);
  }

  /** {@code {"$date": ...}}: how the Vert.x Mongo codec writes a BSON date. */
  public static JsonObject date(Instant instant) {
    return new JsonObject().put(DATE, instant.toString());
  }

  /** A client's pushes of one status. */
  public static JsonObject byClientAndStatus(String clientId, PushStatus status) {
    return new JsonObject().put(CLIENT_ID, clientId).put(STATUS, status.name());
  }

  /**
   * {@code clientId}'s unarrived pushes that have not expired at {@code now}, after the page
   * position ({@code afterCreatedAt}, {@code afterId}) when there is one.
   * <p>
   * The {@code $type} conditions keep out documents whose sort keys are not a date and a string:
   * the next page starts after the last document of this one, whatever else is wrong with it, and
   * that needs its sort keys to be comparable with the others'.
   */
  public static JsonObject unarrivedQuery(String clientId, Instant now, Instant afterCreatedAt, String afterId) {
    JsonObject query = byClientAndStatus(clientId, PushStatus.UNARRIVE)
        .put(EXPIRE_AT, new JsonObject().put("$gt", date(now)))
        .put(ID, new JsonObject().put("$type", "string"))
        .put(CREATED_AT, new JsonObject().put("$type", "date"));
    if (afterCreatedAt != null) {
      query.put("$or", new JsonArray()
          .add(new JsonObject().put(CREATED_AT, new JsonObject().put("$gt", date(afterCreatedAt))))
          .add(new JsonObject().put(CREATED_AT, date(afterCreatedAt)).put(ID, new JsonObject().put("$gt", afterId))));
    }
    return query;
  }

  /** The sort of {@link #unarrivedQuery}: creation order, ties (the same millisecond) by id. */
  public static JsonObject creationOrder() {
    return new JsonObject().put(CREATED_AT, 1).put(ID, 1);
  }

  /** {@code pushId} if it is {@code clientId}'s and unarrived: an acknowledgement by anyone else matches nothing. */
  public static JsonObject unarrivedOf(String clientId, String pushId) {
    return new JsonObject().put(ID, pushId).put(CLIENT_ID, clientId).put(STATUS, PushStatus.UNARRIVE.name());
  }

  public static JsonObject arrivedUpdate(Instant now) {
    return new JsonObject().put("$set", new JsonObject().put(STATUS, PushStatus.ARRIVED.name()).put(ARRIVED_AT, date(now)));
  }

  public static JsonObject oneMoreAttempt() {
    return new JsonObject().put("$inc", new JsonObject().put(ATTEMPTS, 1));
  }

  public static JsonObject expiredAt(Instant now) {
    return new JsonObject().put(EXPIRE_AT, new JsonObject().put("$lte", date(now)));
  }

  private static String string(JsonObject doc, String field) {
    Object value = doc.getValue(field);
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException(field + " is not a string: " + value);
    }
    return s;
  }

  private static Buffer binary(JsonObject doc, String field) {
    Object value = doc.getValue(field);
    if (!(value instanceof JsonObject bin) || !bin.containsKey(BINARY)) {
      throw new IllegalArgumentException(field + " is not binary data: " + value);
    }
    return Buffer.buffer(bin.getBinary(BINARY));
  }

  private static PushStatus status(JsonObject doc) {
    String name = string(doc, STATUS);
    try {
      return PushStatus.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(STATUS + " is neither UNARRIVE nor ARRIVED: " + name);
    }
  }

  private static Instant instant(JsonObject doc, String field, boolean required) {
    Object value = doc.getValue(field);
    if (value == null && !required) {
      return null;
    }
    if (!(value instanceof JsonObject date) || !(date.getValue(DATE) instanceof String iso)) {
      throw new IllegalArgumentException(field + " is not a date: " + value);
    }
    try {
      return OffsetDateTime.parse(iso).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(field + " is not a date: " + iso);
    }
  }
}
