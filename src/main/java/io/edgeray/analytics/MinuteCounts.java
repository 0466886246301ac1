package io.edgeray.analytics;

import java.util.Map;
import java.util.TreeMap;

/**
 * One zone's counts over one minute (or, summed, over a step of several), frozen.
 *
 * @param minute minutes since the epoch (UTC) of the first minute counted
 * @param counts indexed by {@link Slots}
 * @param origins per origin: {@code [attempts, failed attempts]}
 */
record MinuteCounts(long minute, long[] counts, Map<String, long[]> origins) {
  static MinuteCounts empty(long minute) {
    return new MinuteCounts(minute, new long[Slots.SIZE], new TreeMap<>());
  }

  long total() {
    return counts[Slots.TOTAL];
  }

  /** Adds {@code other}'s counts to these (which must be a copy this caller owns). */
  void add(MinuteCounts other) {
    for (int i = 0; i < counts.length; i++) counts[i] += other.counts[i];
    other.origins.forEach((name, n) -> {
      long[] mine = origins.computeIfAbsent(name, k -> new long[2]);
      mine[0] += n[0];
      mine[1] += n[1];
    });
  }
}
