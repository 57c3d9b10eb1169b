/** Netty handlers behind {@link io.weft.core.conn.MeshConnection}. */
package io.weft.core.conn.impl;
