/**
 * {@code demo/relay}: answers by calling {@code demo/echo} through the gate, synchronously on a
 * virtual thread ({@code Relay}) or with futures ({@code RelayAsync}).
 */
package io.weft.examples.relay;
