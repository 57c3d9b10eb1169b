/**
 * Events and persistent calls on Redis Streams. A topic is the stream
 * {@code weft:events:<topic>}; every service subscribing to it has one consumer group there, named
 * {@code <namespace>/<service>}, in which each of its instances is a consumer: every subscribing
 * service gets each event, at least once, handled by one of its instances. A
 * {@link io.weft.core.events.StreamConsumer} consumes one stream for one group: reads, renewals of
 * what it holds, takeovers of what dead consumers held, retries, dead letters, and the lease and
 * lanes of ordered subscriptions. {@link io.weft.core.events.EventStore} holds the Redis commands and
 * scripts, {@link io.weft.core.events.EventAdmin} the stats and dead-letter replays, and
 * {@link io.weft.core.events.EventKeys} the key layout (PROTOCOL.md section 14).
 */
package io.weft.core.events;
