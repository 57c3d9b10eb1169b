/**
 * Discovery: services {@link io.weft.core.discovery.ServiceRegistry#register register} their
 * {@link io.weft.core.discovery.ServiceInstance instances}; gates
 * {@link io.weft.core.discovery.ServiceRegistry#watch watch} them. The in-JVM
 * {@link io.weft.core.discovery.LocalServiceRegistry} is the embedded default;
 * {@link io.weft.core.discovery.EtcdServiceRegistry} holds the registry of a mesh spread over
 * processes in etcd.
 */
package io.weft.core.discovery;
