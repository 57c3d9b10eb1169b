/**
 * {@code demo/echo}: echo, sleep, fail, whoami, a sequence probe used to check ordering, and a
 * context probe showing what a call carries (trace, budget left, caller).
 */
package io.weft.examples.echo;
