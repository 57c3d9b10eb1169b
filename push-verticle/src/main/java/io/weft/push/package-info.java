/**
 * The push service's storage: the {@link io.weft.push.SafePushStore} that keeps each safe push as
 * {@link io.weft.push.PushStatus#UNARRIVE UNARRIVE} until its client acknowledges it, on MongoDB
 * ({@link io.weft.push.MongoSafePushStore}), or on the in-JVM MongoDB-wire server
 * {@link io.weft.push.EmbeddedMongo} that is the embedded default; its
 * {@link io.weft.push.SafePushOptions options}; and {@link io.weft.push.PushIds}, the time-sortable
 * push ids.
 */
package io.weft.push;
