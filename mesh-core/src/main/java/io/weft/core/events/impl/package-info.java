/**
 * The Redis side of events: the Lua scripts that make each consuming step atomic, how a script
 * is run, how replies are read, and the clients (one shared pool for commands, one connection per
 * consumer for its blocking reads).
 */
package io.weft.core.events.impl;
