/**
 * Discovery: services {@link io.weft.core.discovery.ServiceRegistry#register register} their
 * {@link io.weft.core.discovery.ServiceInstance instances}; gates
 * {@link io.weft.core.discovery.ServiceRegistry#watch watch} them. The in-JVM
 * {@link io.weft.core.discovery.LocalServiceRegistry} is the embedded default;
 * {@link io.weft.core.discovery.EtcdServiceRegistry} holds the registry of a mesh spread over
 * processes in etcd. Both also hold the mesh's runtime config, the switches operators flip while
 * it runs ({@link io.weft.core.discovery.ServiceRegistry#watchConfig watchConfig},
 * {@link io.weft.core.discovery.ServiceRegistry#putConfig putConfig}).
 */
package io.weft.core.discovery;
