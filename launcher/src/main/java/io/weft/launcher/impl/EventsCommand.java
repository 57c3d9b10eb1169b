package io.weft.launcher.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.events.EventAdmin;
import io.weft.core.events.EventKeys;
import io.weft.core.events.EventsOptions;
import io.weft.core.events.StreamEntry;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code weft events}: the state of a topic's groups, and its dead letters, which it can replay.
 * A topic given as {@code calls:<namespace>/<service>} names a service's persistent-call stream.
 * Exit codes: 0 done, 1 Redis failed or could not be reached, 2 a bad argument.
 */
@Command(name = "events", description = "Look at event topics in Redis, and replay dead letters.",
    subcommands = {EventsCommand.Stats.class, EventsCommand.Dead.class, EventsCommand.Replay.class})
public final class EventsCommand implements Runnable {

  private static final long AWAIT_SEC = 15;
  private static final String CALLS = "calls:";

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The stream a topic argument names. */
  static String stream(String topic) {
    if (topic.startsWith(CALLS)) {
      return EventKeys.CALLS_PREFIX + EventKeys.checkGroup(topic.substring(CALLS.length()));
    }
    return EventKeys.topic(topic);
  }

  /** What the subcommands share: arguments checked first, then one admin for the work. */
  abstract static class Sub implements Callable<Integer> {

    @Option(names = "--redis", paramLabel = "URL",
        description = "The Redis of the events (default: $WEFT_REDIS, else redis://127.0.0.1:6379).")
    String redis;

    private EventsOptions options() {
      String url = redis != null ? redis : System.getenv("WEFT_REDIS");
      return new EventsOptions().setRedis(url == null || url.isBlank() ? "redis://127.0.0.1:6379" : url);
    }

    abstract String name();

    abstract int run(EventAdmin admin, PrintStream out) throws Exception;

    @Override
    public final Integer call() {
      EventsOptions options;
      try {
        options = options();
        check();
      } catch (IllegalArgumentException e) {
        System.err.println("weft events " + name() + ": " + e.getMessage());
        return 2;
      }
      Vertx vertx = Vertx.vertx();
      EventAdmin admin = EventAdmin.create(vertx, options.setTimeoutMs(5_000));
      try {
        return run(admin, System.out);
      } catch (Exception e) {
        System.err.println("weft events " + name() + ": Redis at " + EventsOptions.withoutPassword(options.getRedis())
            + " failed: " + unwrap(e).getMessage());
        return 1;
      } finally {
        try {
          admin.close().await(AWAIT_SEC, TimeUnit.SECONDS);
        } catch (Exception ignored) {
          // closing anyway
        }
        vertx.close();
      }
    }

    void check() {
    }

    static <T> T done(Future<T> future) throws Exception {
      return future.await(AWAIT_SEC, TimeUnit.SECONDS);
    }

    private static Throwable unwrap(Throwable e) {
      Throwable t = e;
      while (t instanceof CompletionException && t.getCause() != null) {
        t = t.getCause();
      }
      return t;
    }
  }

  @Command(name = "stats", description = "A topic's length and, per group (subscribing service): consumers, "
      + "pending, lag, dead letters.")
  static final class Stats extends Sub {

    @Parameters(index = "0", paramLabel = "TOPIC", description = "e.g. gift.sent, or calls:demo/experience")
    String topic;

    @Override
    String name() {
      return "stats";
    }

    @Override
    void check() {
      stream(topic);
    }

    @Override
    int run(EventAdmin admin, PrintStream out) throws Exception {
      EventAdmin.StreamStats stats = done(admin.streamStats(stream(topic)));
      out.println(stats.stream() + "  length " + stats.length());
      if (stats.groups().isEmpty()) {
        out.println("no group: no service subscribes");
        return 0;
      }
      out.println(String.format("%-32s %9s %9s %9s %9s  %s", "group", "consumers", "pending", "lag", "dead",
          "last delivered"));
      for (EventAdmin.GroupStats g : stats.groups()) {
        out.println(String.format("%-32s %9d %9d %9s %9d  %s", g.group(), g.consumers(), g.pending(),
            g.lag() < 0 ? "?" : Long.toString(g.lag()), g.deadLetters(), g.lastDeliveredId()));
      }
      return 0;
    }
  }

  @Command(name = "dead", description = "The oldest dead letters of a group on a topic: why and after how many attempts.")
  static final class Dead extends Sub {

    @Parameters(index = "0", paramLabel = "TOPIC", description = "e.g. gift.sent, or calls:demo/experience")
    String topic;

    @Parameters(index = "1", paramLabel = "GROUP", description = "The subscribing service: <namespace>/<service>.")
    String group;

    @Option(names = "--limit", defaultValue = "20", description = "At most this many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    String name() {
      return "dead";
    }

    @Override
    void check() {
      stream(topic);
      EventKeys.checkGroup(group);
      if (limit < 1) {
        throw new IllegalArgumentException("--limit must be >= 1, but was " + limit);
      }
    }

    @Override
    int run(EventAdmin admin, PrintStream out) throws Exception {
      List<EventAdmin.DeadLetter> dead = done(admin.deadLettersOf(stream(topic), group, limit));
      if (dead.isEmpty()) {
        out.println("no dead letters");
      }
      for (EventAdmin.DeadLetter d : dead) {
        out.println(d.id() + "  origin " + d.origin() + "  attempts " + d.attempts() + "  at "
            + Instant.ofEpochMilli(d.deadAt()) + "  by " + d.consumer());
        out.println("  reason: " + d.reason());
        out.println("  " + describe(d.entry()));
      }
      return 0;
    }

    private static String describe(StreamEntry e) {
      byte[] data = e.bytes(StreamEntry.DATA) != null ? e.bytes(StreamEntry.DATA) : e.bytes(StreamEntry.CALL);
      String body;
      try {
        body = data == null ? "(none)" : ArgsCodec.toJson(data);
      } catch (RuntimeException ex) {
        body = "(not MessagePack: " + data.length + " bytes)";
      }
      StringBuilder meta = new StringBuilder();
      for (Map.Entry<String, byte[]> f : e.fields().entrySet()) {
        String k = f.getKey();
        if (!k.equals(StreamEntry.DATA) && !k.equals(StreamEntry.CALL) && !k.equals(StreamEntry.REASON)
            && !k.equals(StreamEntry.ORIGIN) && !k.equals(StreamEntry.ATTEMPTS) && !k.equals(StreamEntry.CONSUMER)
            && !k.equals(StreamEntry.DEAD_AT)) {
          meta.append(k).append('=').append(e.text(k)).append(' ');
        }
      }
      return meta + body;
    }
  }

  @Command(name = "replay", description = "Append a group's dead letters to their topic again, for that group only, "
      + "oldest first, and delete them from the dead letters.")
  static final class Replay extends Sub {

    @Parameters(index = "0", paramLabel = "TOPIC", description = "e.g. gift.sent, or calls:demo/experience")
    String topic;

    @Parameters(index = "1", paramLabel = "GROUP", description = "The subscribing service: <namespace>/<service>.")
    String group;

    @Option(names = "--limit", defaultValue = "1000", description = "At most this many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    String name() {
      return "replay";
    }

    @Override
    void check() {
      stream(topic);
      EventKeys.checkGroup(group);
      if (topic.startsWith(CALLS) && !topic.substring(CALLS.length()).equals(group)) {
        throw new IllegalArgumentException("the group of " + topic + " is " + topic.substring(CALLS.length())
            + ", not " + group);
      }
      if (limit < 1) {
        throw new IllegalArgumentException("--limit must be >= 1, but was " + limit);
      }
    }

    @Override
    int run(EventAdmin admin, PrintStream out) throws Exception {
      int replayed;
      if (topic.startsWith(CALLS)) {
        String target = topic.substring(CALLS.length());
        int slash = target.indexOf('/');
        replayed = done(admin.replayDeadCalls(target.substring(0, slash), target.substring(slash + 1), limit));
      } else {
        replayed = done(admin.replayDeadLetters(topic, group, limit));
      }
      out.println("replayed " + replayed + " dead letter(s) of " + group + " on " + stream(topic));
      return 0;
    }
  }
}
