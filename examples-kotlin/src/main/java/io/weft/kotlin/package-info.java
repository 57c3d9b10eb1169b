/**
 * Kotlin services: {@link io.weft.kotlin.CoroutineMeshService}, a service whose handlers are
 * {@code suspend} functions, and suspending service-to-service calls.
 */
package io.weft.kotlin;
