package io.weft.kotlin

import io.vertx.core.Future
import io.vertx.kotlin.coroutines.coAwait
import io.vertx.kotlin.coroutines.dispatcher
import io.vertx.kotlin.coroutines.vertxFuture
import io.weft.core.client.CallOptions
import io.weft.service.EventContext
import io.weft.service.MeshService
import io.weft.service.MethodSpec
import io.weft.service.RpcContext
import io.weft.service.Rpcs
import io.weft.service.ServiceCalls
import io.weft.service.SubscriptionSpec
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlin.coroutines.CoroutineContext

/**
 * A [MeshService] whose handlers are `suspend` functions: each call runs as a coroutine on the
 * service's own context (its event loop), so a handler can `await` other services
 * ([ServiceCalls.call]) or anything else that suspends without blocking the loop, and still sees
 * the single-threaded world of a verticle.
 *
 * ```kotlin
 * class Greeter : CoroutineMeshService() {
 *   @JvmRecord data class Hello(val name: String)
 *   override fun configure(r: Rpcs) {
 *     r.suspending<Hello, Map<String, Any?>>("Hello") { ctx, args ->
 *       val echoed = ctx.call<Map<String, Any?>>("echo", "Echo", mapOf("Text" to args.name))
 *       mapOf("Greeting" to "hello ${echoed["Text"]}")
 *     }.publicAccess()
 *   }
 * }
 * ```
 * A handler's exception is its call's failure, as a failed future would be: a
 * [io.weft.core.MeshException] keeps its code, anything else is answered 13. Args and replies are
 * mapped by the args codec (Jackson): use `@JvmRecord data class`es, maps or lists. The
 * coroutines of an undeployed service are cancelled.
 */
abstract class CoroutineMeshService : MeshService(), CoroutineScope {

  private val job = SupervisorJob()

  override val coroutineContext: CoroutineContext
    get() = context.dispatcher() + job

  /** Registers the `suspend` [handler] of [method], its args mapped to [A]. */
  protected inline fun <reified A : Any, R> Rpcs.suspending(
    method: String,
    noinline handler: suspend (RpcContext, A) -> R,
  ): MethodSpec = on(method, A::class.java) { ctx, args -> vertxFuture { handler(ctx, args) } }

  /** Subscribes the `suspend` [handler] to [topic]: the event is handled once it returns. */
  protected inline fun <reified E : Any> Rpcs.suspendingSubscribe(
    topic: String,
    noinline handler: suspend (EventContext, E) -> Unit,
  ): SubscriptionSpec<E> = subscribe(topic, E::class.java) { ctx, event ->
    vertxFuture<Void?> {
      handler(ctx, event)
      null
    }
  }

  override fun tearDown(): Future<*> {
    job.cancel()
    return super.tearDown()
  }
}

/** Calls [service]`.`[method] in the caller's namespace and suspends until the reply, as [T]. */
suspend inline fun <reified T> ServiceCalls.call(
  service: String,
  method: String,
  args: Any,
  options: CallOptions = CallOptions.DEFAULT,
): T = call(namespace(), service, method, args, T::class.java, options).coAwait()
