package io.weft.core.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class CallbackTableTest {

  static final class Call extends CallbackTable.Entry {
    final String name;
    long expiredAt;

    Call(String name) {
      this.name = name;
    }
  }

  private final List<Call> expired = new CopyOnWriteArrayList<>();

  private static <T> T on(Context context, Supplier<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        result.complete(action.get());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    });
    return result.get(5, TimeUnit.SECONDS);
  }

  private CallbackTable<Call> table(Vertx vertx, Context context, long tickMs) throws Exception {
    return on(context, () -> new CallbackTable<Call>(vertx, tickMs, c -> {
      c.expiredAt = CallbackTable.nowMs();
      expired.add(c);
    }));
  }

  @Test
  void expiresAtTheDeadlineAndNotBefore(Vertx vertx) throws Exception {
    Context context = vertx.getOrCreateContext();
    CallbackTable<Call> table = table(vertx, context, 5);
    Call call = new Call("a");
    long added = on(context, () -> {
      table.add(call, 100);
      return CallbackTable.nowMs();
    });
    await().atMost(Duration.ofSeconds(2)).until(() -> expired.contains(call));
    assertThat(call.expiredAt - added).isBetween(100L, 100L + 5 * 4);
    assertThat(on(context, table::size)).isZero();
    assertThat(on(context, table::expiredCount)).isEqualTo(1);
  }

  @Test
  void eachCallHasExactlyOneOutcome(Vertx vertx) throws Exception {
    Context context = vertx.getOrCreateContext();
    CallbackTable<Call> table = table(vertx, context, 5);
    Call answered = new Call("answered");
    Call late = new Call("late");
    long[] ids = on(context, () -> new long[] {table.add(answered, 50), table.add(late, 50)});
    assertThat(on(context, () -> table.complete(ids[0]))).isSameAs(answered);
    await().atMost(Duration.ofSeconds(2)).until(() -> expired.contains(late));
    assertThat(expired).containsExactly(late);
    // the late answer finds nothing and is counted
    assertThat(on(context, () -> table.complete(ids[1]))).isNull();
    assertThat(on(context, () -> table.complete(ids[0]))).isNull();
    assertThat(on(context, table::lateAnswers)).isEqualTo(2);
  }

  @Test
  void idsAreUniqueAndNeverZero(Vertx vertx) throws Exception {
    Context context = vertx.getOrCreateContext();
    CallbackTable<Call> table = table(vertx, context, 10);
    List<Long> ids = on(context, () -> {
      List<Long> list = new java.util.ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        list.add(table.add(new Call("c" + i), 60_000));
      }
      return list;
    });
    assertThat(ids).doesNotContain(0L).doesNotHaveDuplicates();
    assertThat(on(context, table::size)).isEqualTo(1000);
  }

  @Test
  void callerChosenIdsAreCheckedAndZeroIsRefused(Vertx vertx) throws Exception {
    Context context = vertx.getOrCreateContext();
    CallbackTable<Call> table = table(vertx, context, 10);
    on(context, () -> {
      table.add(7, new Call("seven"), 1000);
      return null;
    });
    assertThatThrownBy(() -> on(context, () -> {
      table.add(7, new Call("again"), 1000);
      return null;
    })).hasCauseInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> on(context, () -> {
      table.add(0, new Call("zero"), 1000);
      return null;
    })).hasCauseInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void manyDeadlinesSpreadOverTheWheelAllFireInOrderOfDeadline(Vertx vertx) throws Exception {
    Context context = vertx.getOrCreateContext();
    CallbackTable<Call> table = table(vertx, context, 2);
    on(context, () -> {
      for (int i = 0; i < 200; i++) {
        table.add(new Call(String.valueOf(i)), 10 + i * 3L);
      }
      return null;
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> expired.size() == 200);
    for (int i = 1; i < expired.size(); i++) {
      assertThat(expired.get(i).deadlineMs()).isGreaterThanOrEqualTo(expired.get(i - 1).deadlineMs() - 2);
    }
  }

  @Test
  void deadlinesBeyondOneTurnOfTheWheelWaitForTheirTurn(Vertx vertx) throws Exception {
    Context context = vertx.getOrCreateContext();
    // 512 buckets of 1 ms: a 700 ms deadline shares a bucket with a 188 ms one
    CallbackTable<Call> table = table(vertx, context, 1);
    Call far = new Call("far");
    Call near = new Call("near");
    on(context, () -> {
      table.add(far, 700);
      table.add(near, 188);
      return null;
    });
    await().atMost(Duration.ofSeconds(2)).until(() -> expired.contains(near));
    assertThat(expired).doesNotContain(far);
    await().atMost(Duration.ofSeconds(2)).until(() -> expired.contains(far));
    assertThat(far.expiredAt).isGreaterThanOrEqualTo(far.deadlineMs());
  }

  @Test
  void removeIfAndCloseTakeOutMatchingCalls(Vertx vertx) throws Exception {
    Context context = vertx.getOrCreateContext();
    CallbackTable<Call> table = table(vertx, context, 10);
    List<Call> removed = new CopyOnWriteArrayList<>();
    on(context, () -> {
      table.add(new Call("x1"), 10_000);
      table.add(new Call("y1"), 10_000);
      table.add(new Call("x2"), 10_000);
      table.removeIf(c -> c.name.startsWith("x"), removed::add);
      return null;
    });
    assertThat(removed).extracting(c -> c.name).containsExactlyInAnyOrder("x1", "x2");
    on(context, () -> {
      table.close(removed::add);
      return null;
    });
    assertThat(removed).extracting(c -> c.name).containsExactlyInAnyOrder("x1", "x2", "y1");
    assertThat(on(context, table::size)).isZero();
  }
}
