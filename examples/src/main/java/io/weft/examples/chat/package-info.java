/**
 * {@code demo/chat}: publishes {@code gift.sent} events and makes persistent calls, for the events
 * tour ({@code conf/events.json}).
 */
package io.weft.examples.chat;
