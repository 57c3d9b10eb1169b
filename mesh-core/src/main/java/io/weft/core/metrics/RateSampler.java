package io.weft.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns the mesh's cumulative counters and histograms into a {@link RateWindow}: each sample
 * reads every {@code weft.*} counter and timer once (off the hot path, once per
 * {@code sampleMs}), and the window compares the newest sample with the oldest within
 * {@code windowMs}.
 */
final class RateSampler {

  private record Sample(long nanos, double count, long[] cumulative) {
  }

  private static final class History {
    final ArrayDeque<Sample> samples = new ArrayDeque<>();
    long[] boundsNanos = new long[0];
  }

  private final MeterRegistry registry;
  private final long windowNanos;
  private final Map<Meter.Id, History> histories = new HashMap<>();
  private volatile RateWindow latest = RateWindow.EMPTY;
  private long previousNanos;

  RateSampler(MeterRegistry registry, long windowMs) {
    this.registry = registry;
    this.windowNanos = TimeUnit.MILLISECONDS.toNanos(windowMs);
  }

  RateWindow latest() {
    return latest;
  }

  /** Takes a sample and makes the new window. */
  synchronized RateWindow sample() {
    long now = registry.config().clock().monotonicTime();
    Map<Meter.Id, History> seen = new HashMap<>();
    for (Meter meter : registry.getMeters()) {
      if (!meter.getId().getName().startsWith("weft.")) {
        continue;
      }
      Sample sample;
      long[] bounds = null;
      switch (meter) {
        case Counter c -> sample = new Sample(now, c.count(), null);
        case FunctionCounter c -> sample = new Sample(now, c.count(), null);
        case Timer t -> {
          HistogramSnapshot snapshot = t.takeSnapshot();
          CountAtBucket[] buckets = snapshot.histogramCounts();
          bounds = new long[buckets.length];
          long[] cumulative = new long[buckets.length + 1];
          for (int i = 0; i < buckets.length; i++) {
            bounds[i] = (long) buckets[i].bucket(TimeUnit.NANOSECONDS);
            cumulative[i] = (long) buckets[i].count();
          }
          cumulative[buckets.length] = snapshot.count();
          sample = new Sample(now, snapshot.count(), cumulative);
        }
        default -> sample = null;
      }
      if (sample == null) {
        continue;
      }
      History history = histories.get(meter.getId());
      if (history == null) {
        history = new History();
        histories.put(meter.getId(), history);
        if (previousNanos != 0) {
          // Registered since the last sample (a status code's first call): it counted nothing then.
          history.samples.addLast(new Sample(previousNanos, 0,
              sample.cumulative() == null ? null : new long[sample.cumulative().length]));
        }
      }
      if (bounds != null) {
        history.boundsNanos = bounds;
      }
      history.samples.addLast(sample);
      // Keep the newest sample at or before the window's start, so the window spans it all.
      while (history.samples.size() > 1) {
        Iterator<Sample> it = history.samples.iterator();
        it.next();
        Sample second = it.next();
        if (now - second.nanos() < windowNanos) {
          break;
        }
        history.samples.pollFirst();
      }
      seen.put(meter.getId(), history);
    }
    histories.keySet().retainAll(seen.keySet());
    previousNanos = now;
    latest = window(now, seen);
    return latest;
  }

  private RateWindow window(long now, Map<Meter.Id, History> seen) {
    Map<String, List<RateWindow.Series>> byName = new HashMap<>();
    long spanNanos = 0;
    for (Map.Entry<Meter.Id, History> e : seen.entrySet()) {
      History h = e.getValue();
      Sample oldest = h.samples.peekFirst();
      Sample newest = h.samples.peekLast();
      long span = newest.nanos() - oldest.nanos();
      spanNanos = Math.max(spanNanos, span);
      double delta = Math.max(0, newest.count() - oldest.count());
      double perSecond = span == 0 ? 0 : delta * 1e9 / span;
      long[] counts = new long[0];
      if (newest.cumulative() != null) {
        counts = perBucket(oldest.cumulative(), newest.cumulative(), span > 0);
      }
      byName.computeIfAbsent(e.getKey().getName(), n -> new ArrayList<>())
          .add(new RateWindow.Series(e.getKey(), newest.count(), perSecond, h.boundsNanos, counts));
    }
    return new RateWindow(TimeUnit.NANOSECONDS.toMillis(spanNanos), byName);
  }

  /** The calls in each bucket between two cumulative snapshots (bucket counts are cumulative in le order). */
  private static long[] perBucket(long[] from, long[] to, boolean hasSpan) {
    long[] counts = new long[to.length];
    if (!hasSpan || from.length != to.length) {
      return counts;
    }
    long previous = 0;
    for (int i = 0; i < to.length; i++) {
      long cumulative = Math.max(0, to[i] - from[i]);
      counts[i] = Math.max(0, cumulative - previous);
      previous = Math.max(previous, cumulative);
    }
    return counts;
  }
}
