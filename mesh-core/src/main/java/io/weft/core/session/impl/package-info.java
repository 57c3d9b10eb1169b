/**
 * The Redis side of {@link io.weft.core.session.RedisSessionDirectory}: the key layout, the Lua
 * scripts that make bind, unbind, refresh and lookup atomic, how a script is run (by SHA, with its
 * text when Redis lost it), and the pooled clients shared by the directories of a Vert.x.
 */
package io.weft.core.session.impl;
