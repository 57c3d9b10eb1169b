/**
 * The service host's internals: event-bus messages between the host and business verticles, and
 * the calls the service makes to other services over the host's gate links.
 */
package io.weft.service.impl;
