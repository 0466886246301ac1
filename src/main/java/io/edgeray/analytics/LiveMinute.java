package io.edgeray.analytics;

import io.edgeray.observe.Attempt;
import io.edgeray.observe.RaySummary;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The minute being counted now: event loops add to it at once, so every count is a
 * {@link LongAdder} (no lock, no shared cache line to fight over). Only this minute and the one
 * before are live; older minutes are frozen into {@link MinuteCounts}.
 */
final class LiveMinute {
  final long minute;
  private final LongAdder[] counts = new LongAdder[Slots.SIZE];
  /** Per origin {@code [attempts, failures]}; origins come from the config, so this stays small. */
  private final ConcurrentHashMap<String, LongAdder[]> origins = new ConcurrentHashMap<>();

  LiveMinute(long minute) {
    this.minute = minute;
    for (int i = 0; i < counts.length; i++) counts[i] = new LongAdder();
  }

  /** A live minute that goes on from counts already kept (a restart within the minute). */
  LiveMinute(MinuteCounts from) {
    this(from.minute());
    for (int i = 0; i < counts.length; i++) counts[i].add(from.counts()[i]);
    from.origins().forEach((name, n) -> {
      LongAdder[] o = origin(name);
      o[0].add(n[0]);
      o[1].add(n[1]);
    });
  }

  void count(RaySummary r) {
    counts[Slots.TOTAL].increment();
    int s = Slots.ofStatus(r.status());
    if (s >= 0) counts[s].increment();
    if (r.error() != null) {
      int c = Slots.ofCode(r.error().code());
      if (c >= 0) counts[c].increment();
    }
    for (int i = 0; i < r.attempts().size(); i++) { // indexed: no iterator per ray
      Attempt a = r.attempts().get(i);
      LongAdder[] o = origin(a.poolOrigin() != null ? a.poolOrigin() : a.origin() != null ? a.origin() : "-");
      o[0].increment();
      if (a.failure() != null) o[1].increment();
    }
  }

  private LongAdder[] origin(String name) {
    LongAdder[] o = origins.get(name); // lock-free; computeIfAbsent only the first time in a minute
    return o != null ? o : origins.computeIfAbsent(name, k -> new LongAdder[] {new LongAdder(), new LongAdder()});
  }

  MinuteCounts snapshot() {
    long[] c = new long[counts.length];
    for (int i = 0; i < c.length; i++) c[i] = counts[i].sum();
    Map<String, long[]> o = new TreeMap<>();
    origins.forEach((name, n) -> o.put(name, new long[] {n[0].sum(), n[1].sum()}));
    return new MinuteCounts(minute, c, o);
  }
}
