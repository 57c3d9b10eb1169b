/**
 * Calls in flight: {@link io.weft.core.callback.CallbackTable} pairs each id with its pending
 * answer and a deadline, so every call gets exactly one outcome and late answers are counted.
 */
package io.weft.core.callback;
