/**
 * The session directory: which gate and connection each logged-in client id is on, so that a
 * second login elsewhere can kick the first and pushes find their client. Gates
 * {@link io.weft.core.session.SessionDirectory#bind bind} client ids on login and refresh them
 * while connected; the push service {@link io.weft.core.session.SessionDirectory#lookupAll looks
 * them up}. The in-JVM {@link io.weft.core.session.LocalSessionDirectory} is the embedded
 * default; {@link io.weft.core.session.RedisSessionDirectory} holds the directory of a mesh spread
 * over processes in Redis. {@link io.weft.core.session.SessionDirectories} picks one from
 * {@link io.weft.core.session.SessionOptions}.
 */
package io.weft.core.session;
