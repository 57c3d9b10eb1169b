package io.weft.kotlin

import io.vertx.core.Context
import io.vertx.core.Vertx
import io.vertx.core.json.JsonObject
import io.vertx.kotlin.coroutines.coAwait
import io.weft.core.Code
import io.weft.core.MeshException
import io.weft.core.client.MeshClient
import io.weft.core.client.MeshClientOptions
import io.weft.core.discovery.RegistryOptions
import io.weft.core.test.TestServers
import io.weft.examples.chat.GiftSent
import io.weft.examples.echo.EchoService
import io.weft.examples.leaderboard.LeaderboardService
import io.weft.gate.GateOptions
import io.weft.gate.GateVerticle
import io.weft.service.RpcContext
import io.weft.service.Rpcs
import io.weft.service.ServiceHost
import io.weft.service.ServiceOptions
import kotlinx.coroutines.delay
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import java.time.Duration
import java.util.UUID
import java.util.concurrent.TimeUnit
import java.util.function.Supplier

/** A service written with suspend handlers, and the Kotlin leaderboard, in a mesh on one Vert.x. */
class CoroutineMeshServiceIT {

  /** A test service: suspends on a timer and on an s2s call, and fails with a code. */
  class Greeter : CoroutineMeshService() {
    @JvmRecord
    data class Hello(val name: String)

    @JvmRecord
    data class Greeting(val greeting: String, val sameContext: Boolean, val onEventLoop: Boolean)

    @JvmRecord
    data class Give(val topic: String, val to: String, val value: Long)

    override fun configure(r: Rpcs) {
      r.suspending("Hello", ::hello).publicAccess()
      r.suspending<Give, Map<String, String>>("Give") { ctx, args ->
        mapOf("Id" to ctx.publish(args.topic, GiftSent("greeter", args.to, "rose", args.value, "lobby")).coAwait())
      }
      r.suspending<Map<String, Any?>, Unit>("Missing") { _, _ ->
        delay(1)
        throw MeshException.quiet(Code.NOT_FOUND, "no such greeting")
      }
    }

    private suspend fun hello(ctx: RpcContext, args: Hello): Greeting {
      val before: Context = Vertx.currentContext()
      delay(5)
      val echoed = ctx.call<Map<String, Any?>>("echo", "Echo", mapOf("Text" to args.name))
      return Greeting("hello ${echoed["Text"]}", Vertx.currentContext() === before, Context.isOnEventLoopThread())
    }
  }

  private lateinit var vertx: Vertx
  private val registry = RegistryOptions()

  @BeforeEach
  fun setUp() {
    vertx = Vertx.vertx()
  }

  @AfterEach
  fun tearDown() {
    vertx.close().await(10, TimeUnit.SECONDS)
  }

  private fun deploy(
    name: String,
    config: JsonObject = JsonObject(),
    redis: String? = TestServers.redis(),
    service: Supplier<io.weft.service.MeshService>,
  ) {
    val options = ServiceOptions().setNamespace("demo").setName(name).setHost("127.0.0.1").setRegistry(registry)
      .setConfig(config)
    options.events.setRedis(redis)
    vertx.deployVerticle(ServiceHost(options, service)).await(10, TimeUnit.SECONDS)
  }

  private fun client(): MeshClient {
    val gate = GateVerticle(GateOptions().setHost("127.0.0.1").setPort(0).setTickMs(5).setRegistry(registry))
    vertx.deployVerticle(gate).await(10, TimeUnit.SECONDS)
    return MeshClient.connect(vertx, MeshClientOptions().setPort(gate.actualPort())).await(5, TimeUnit.SECONDS)
  }

  private fun <T> MeshClient.await(service: String, method: String, args: Any, type: Class<T>): T =
    call("demo", service, method, args, type).await(5, TimeUnit.SECONDS)

  @Test
  fun suspendHandlersCallOtherServicesAndStayOnTheServicesContext() {
    deploy("echo") { EchoService() }
    deploy("greeter") { Greeter() }
    val client = client()
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until {
      client.await("greeter", "Hello", mapOf("Name" to "ada"), Map::class.java) != null
    }
    // Many at once: each suspends twice, none blocks the others.
    val replies = (1..20).map { client.call("demo", "greeter", "Hello", mapOf("Name" to "n$it"), Map::class.java) }
      .map { it.await(5, TimeUnit.SECONDS) }
    assertThat(replies.map { it["Greeting"] }).isEqualTo((1..20).map { "hello n$it" })
    // Resumed where they started, on the service's event loop, after each suspension.
    assertThat(replies.map { it["SameContext"] }).containsOnly(true)
    assertThat(replies.map { it["OnEventLoop"] }).containsOnly(true)
  }

  @Test
  fun aThrownMeshExceptionKeepsItsCode() {
    deploy("greeter") { Greeter() }
    val client = client()
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until {
      try {
        client.await("greeter", "Missing", mapOf<String, Any>(), Map::class.java)
        false
      } catch (e: MeshException) {
        e.code() == Code.NOT_FOUND
      }
    }
    assertThatThrownBy { client.await("greeter", "Missing", mapOf<String, Any>(), Map::class.java) }
      .isInstanceOfSatisfying(MeshException::class.java) {
        assertThat(it.code()).isEqualTo(Code.NOT_FOUND)
        assertThat(it.message).contains("no such greeting")
      }
  }

  @Test
  fun theKotlinLeaderboardRanksScoresFromCallsAndGiftEvents() {
    val topic = "gift.sent.${UUID.randomUUID()}"
    deploy("leaderboard", JsonObject().put("topic", topic)) { LeaderboardService() }
    deploy("greeter") { Greeter() }
    val client = client()
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until {
      client.await("leaderboard", "Top", mapOf("N" to 3), Map::class.java) != null
    }
    client.await("leaderboard", "Add", mapOf("User" to "bob", "Score" to 5), Map::class.java)
    client.await("leaderboard", "Add", mapOf("User" to "ann", "Score" to 5), Map::class.java)
    val carol: Map<*, *> = client.await("leaderboard", "Add", mapOf("User" to "carol", "Score" to 4), Map::class.java)
    assertThat(carol["Score"]).isEqualTo(4)
    client.await("leaderboard", "Add", mapOf("User" to "carol", "Score" to 4), Map::class.java)
    val top = client.await("leaderboard", "Top", mapOf("N" to 2), Map::class.java)
    assertThat(top["Entries"] as List<*>).containsExactly(
      mapOf("User" to "carol", "Score" to 8), mapOf("User" to "ann", "Score" to 5))
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until {
      client.await("greeter", "Give", mapOf("Topic" to topic, "To" to "bob", "Value" to 10), Map::class.java) != null
    }
    await().atMost(Duration.ofSeconds(10)).until {
      (client.await("leaderboard", "Top", mapOf("N" to 1), Map::class.java)["Entries"] as List<*>) ==
        listOf(mapOf("User" to "bob", "Score" to 15))
    }
  }

  @Test
  fun withoutEventsTheLeaderboardStartsWithoutItsSubscriptionAndCountsAddCalls() {
    // A subscription on a host without Redis fails the deployment: so does the leaderboard's by default ...
    assertThatThrownBy { deploy("leaderboard", redis = null) { LeaderboardService() } }
      .hasMessageContaining("gift.sent")
    // ... and "events": false leaves it out.
    deploy("leaderboard", JsonObject().put("events", false), redis = null) { LeaderboardService() }
    val client = client()
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until {
      client.await("leaderboard", "Add", mapOf("User" to "dan", "Score" to 3), Map::class.java) != null
    }
    assertThat(client.await("leaderboard", "Top", mapOf("N" to 5), Map::class.java)["Entries"] as List<*>)
      .containsExactly(mapOf("User" to "dan", "Score" to 3))
  }
}
