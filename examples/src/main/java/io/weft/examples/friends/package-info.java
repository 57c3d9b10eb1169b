/**
 * {@code demo/friends}: friend requests, friends lists with presence (from the session directory)
 * and pushes when a request arrives or a friend comes online; part of the demo page's mesh
 * ({@code conf/local.json}).
 */
package io.weft.examples.friends;
