/** {@code demo/echo}: echo, sleep, fail, whoami and a sequence probe used to check ordering. */
package io.weft.examples.echo;
