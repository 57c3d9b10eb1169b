/**
 * {@code demo/chat}: chat rooms with live pushes (the demo page of {@code conf/local.json}), and
 * gifts that publish {@code gift.sent} events and persistent calls for the events tour
 * ({@code conf/events.json}), or call the leaderboard on a mesh without events.
 */
package io.weft.examples.chat;
