/**
 * The etcd side of {@link io.weft.core.discovery.EtcdServiceRegistry}: the key layout, a key held
 * under a lease that re-registers itself when the lease is lost, and the watch that keeps a
 * consistent view of a prefix ({@code /weft/services/}, {@code /weft/config/...}) across watch
 * failures and etcd restarts.
 */
package io.weft.core.discovery.impl;
