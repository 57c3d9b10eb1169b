package io.weft.examples.leaderboard

import io.vertx.core.shareddata.LocalMap
import io.weft.examples.chat.GiftSent
import io.weft.kotlin.CoroutineMeshService
import io.weft.service.EventContext
import io.weft.service.RpcContext
import io.weft.service.Rpcs

/**
 * The demo service `demo/leaderboard`, in Kotlin: scores users by the value of the gifts they
 * receive, from `gift.sent` events, or from `Add` calls (a mesh without Redis has no events).
 * Its subscription is ordered by recipient: the gifts of one user are counted one at a time, in
 * the order they were sent, whichever instance reads the topic.
 *
 * Scores live in the instance's memory (a sketch: a real leaderboard keeps them in a store, and
 * `Top` of another instance knows nothing of them). The topic is `config.topic` (`gift.sent` by
 * default); `config.events` false (as in `conf/local.json`, which has no Redis) leaves the
 * subscription out, so that the service starts without events and counts `Add` calls only.
 */
class LeaderboardService : CoroutineMeshService() {

  @JvmRecord
  data class Top(val n: Int)

  @JvmRecord
  data class Entry(val user: String, val score: Long)

  @JvmRecord
  data class Board(val entries: List<Entry>)

  @JvmRecord
  data class Add(val user: String, val score: Long)

  override fun configure(r: Rpcs) {
    r.suspending("Top", ::top).publicAccess().idempotent()
    r.suspending("Add", ::add)
    if (config().getBoolean("events", true)) {
      r.suspendingSubscribe(config().getString("topic", GiftSent.TOPIC), ::onGift).orderedBy { it.to() }
    }
  }

  private fun scores(instance: String): LocalMap<String, Long> =
    vertx.sharedData().getLocalMap("leaderboard.scores.$instance")

  private suspend fun onGift(ctx: EventContext, gift: GiftSent) {
    scores(ctx.instance()).merge(gift.to(), gift.value(), Long::plus)
  }

  private suspend fun add(ctx: RpcContext, args: Add): Entry {
    val score = scores(ctx.instance()).merge(args.user, args.score, Long::plus)!!
    return Entry(args.user, score)
  }

  private suspend fun top(ctx: RpcContext, args: Top): Board {
    val n = if (args.n <= 0) 10 else args.n
    val entries = scores(ctx.instance()).entries
      .map { Entry(it.key, it.value) }
      .sortedWith(compareByDescending<Entry> { it.score }.thenBy { it.user })
      .take(n)
    return Board(entries)
  }
}
