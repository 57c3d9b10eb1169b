package io.weft.gate.impl;

import java.util.ArrayList;
import java.util.List;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;

/**
 * What one gate instance records of the calls to one method: the shared meters, and the calls of
 * each client source (the caller's {@code Client} label, or the calling service instance), kept
 * for the busiest sources only by a frequent-items sketch, so that a gate facing many distinct
 * sources keeps bounded memory. The sketch belongs to the instance's event loop.
 */
final class MethodStats {

  /** Calls without a label count under this source. */
  static final String NO_SOURCE = "(none)";

  /** One source's count, estimated once the sketch holds more sources than it has room for. */
  record SourceCount(String source, long calls) {
  }

  final MethodMeters meters;
  private final ItemsSketch<String> sources;

  MethodStats(MethodMeters meters, int topSources) {
    this.meters = meters;
    // Room for several times the sources reported, so that the top ones' counts stay exact while
    // the sources are few, and close while they are many.
    this.sources = topSources == 0 ? null : new ItemsSketch<>(Integer.highestOneBit(Math.max(16, topSources * 8)) * 2);
  }

  void record(int code, long latencyNanos, String source) {
    meters.record(code, latencyNanos);
    if (sources != null) {
      sources.update(source == null ? NO_SOURCE : source);
    }
  }

  /** The {@code n} busiest sources, busiest first. */
  List<SourceCount> topSources(int n) {
    if (sources == null || sources.isEmpty()) {
      return List.of();
    }
    ItemsSketch.Row<String>[] rows = sources.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES);
    List<SourceCount> top = new ArrayList<>(Math.min(n, rows.length));
    for (int i = 0; i < rows.length && top.size() < n; i++) {
      top.add(new SourceCount(rows[i].getItem(), rows[i].getEstimate()));
    }
    return top;
  }
}
