/** The service host's internals: event-bus messages between the host and business verticles. */
package io.weft.service.impl;
