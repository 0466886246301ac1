package io.edgeray.security;

import java.time.Clock;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counters in this process, in a plain {@link ConcurrentHashMap} bounded two ways. A counter idle
 * for longer than it can matter (two periods, or its mitigation timeout) is dropped by a sweep
 * that runs on the callers, a slice per request, a round every {@link #SWEEP_MILLIS}; until then an idle counter counts
 * as a fresh one would, since its windows and its block are over. And at most
 * {@code maxCounters} are kept (one more per event loop in a race): a new key that finds the
 * store full first has the idle counters dropped, then the least recently hit until a quarter is
 * free, so a flood of distinct keys (random API keys, spoofed cookies) costs a bounded amount of
 * heap and one pass over the map per {@code maxCounters / 4} new keys. A dropped counter forgets
 * its count: under such a flood a limit can only become more lenient for the keys pushed out,
 * never refuse more.
 *
 * <p>The hit of a known key is a map lookup and the counter's own lock: no timer wheel, no
 * access-order bookkeeping (the Caffeine cache this replaces updated both on every request).
 */
public final class LocalRateCounterStore implements RateCounterStore {
  public static final int DEFAULT_MAX_COUNTERS = 100_000;
  /** How often idle counters are dropped: memory is bounded by the size limit, this only frees it sooner. */
  static final long SWEEP_MILLIS = 10_000;
  /** Counters one request walks at most for the sweep. */
  static final int SWEEP_SLICE = 1024;
  /** Last-hit times read to choose the least recently hit, when the store is full. */
  private static final int SAMPLE = 256;

  private final ConcurrentHashMap<String, SlidingWindowCounter> counters = new ConcurrentHashMap<>();
  private final int maxCounters;
  private final Clock clock;
  private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);
  private final ReentrantLock sweeping = new ReentrantLock();
  /** Where the sweep's round has got to; guarded by {@link #sweeping}. */
  private Iterator<Map.Entry<String, SlidingWindowCounter>> sweep;

  public LocalRateCounterStore(Clock clock) {
    this(DEFAULT_MAX_COUNTERS, clock);
  }

  public LocalRateCounterStore(int maxCounters, Clock clock) {
    if (maxCounters < 1) throw new IllegalArgumentException("maxCounters must be at least 1");
    this.maxCounters = maxCounters;
    this.clock = clock;
  }

  @Override
  public RateCount hit(String key, RateQuota quota, long nowMillis) {
    if (nowMillis >= nextSweep.get() && sweeping.tryLock()) {
      try {
        sweepSlice(nowMillis);
      } finally {
        sweeping.unlock();
      }
    }
    while (true) {
      SlidingWindowCounter c = counters.get(key);
      if (c == null) c = add(key, quota, nowMillis);
      RateCount count = c.hit(quota, nowMillis);
      if (count != null) return count;
      counters.remove(key, c); // dropped by a sweep between the lookup and the hit: count on a new one
    }
  }

  private SlidingWindowCounter add(String key, RateQuota quota, long now) {
    if (counters.size() >= maxCounters) {
      synchronized (this) {
        if (counters.size() >= maxCounters) makeRoom(now);
      }
    }
    return counters.computeIfAbsent(key, k -> new SlidingWindowCounter(now, quota.idleLifetimeMillis()));
  }

  /** The idle counters first; then the least recently hit, until three quarters of the limit remain. */
  private void makeRoom(long now) {
    dropIdle(now);
    int keep = maxCounters - Math.max(1, maxCounters / 4);
    int size = counters.size();
    if (size <= keep) return;
    // the map's order has nothing to do with recency: its first entries are a fair sample
    long[] sample = new long[Math.min(SAMPLE, size)];
    int n = 0;
    for (Iterator<SlidingWindowCounter> it = counters.values().iterator(); it.hasNext() && n < sample.length; ) {
      sample[n++] = it.next().lastHit();
    }
    Arrays.sort(sample, 0, n);
    // the cut sits a tenth above the share to drop, so that a sample's error rarely leaves too few
    // counters older than it; the drop stops at the share, so no more than that goes
    long cut = sample[Math.min(n - 1, (int) ((long) n * (size - keep) / size) + n / 10)];
    // older than the cut; then the cut itself (many counters hit in the same ms); then any, should a race refill it
    for (long hitBefore : new long[] {cut, cut + 1, Long.MAX_VALUE}) {
      int excess = counters.size() - keep;
      if (excess <= 0) return;
      drop(now, hitBefore, excess);
    }
  }

  /**
   * A slice of the idle sweep: the sweep runs on the callers, which are event loops, so one request
   * walks at most {@link #SWEEP_SLICE} counters, not the whole map; the round ends when the walk
   * reaches the map's end, and the next is due {@link #SWEEP_MILLIS} later.
   */
  private void sweepSlice(long now) {
    if (now < nextSweep.get()) return; // another caller ended the round meanwhile
    if (sweep == null) sweep = counters.entrySet().iterator();
    for (int n = 0; n < SWEEP_SLICE && sweep.hasNext(); n++) {
      Map.Entry<String, SlidingWindowCounter> e = sweep.next();
      if (e.getValue().retireIf(now, Long.MIN_VALUE)) counters.remove(e.getKey(), e.getValue());
    }
    if (!sweep.hasNext()) {
      sweep = null;
      nextSweep.set(now + SWEEP_MILLIS);
    }
  }

  private void dropIdle(long now) {
    drop(now, Long.MIN_VALUE, Integer.MAX_VALUE);
  }

  /** Drops up to {@code max} counters that are idle at {@code now} or were last hit before {@code hitBefore}. */
  private void drop(long now, long hitBefore, int max) {
    int dropped = 0;
    for (Iterator<Map.Entry<String, SlidingWindowCounter>> it = counters.entrySet().iterator();
        it.hasNext() && dropped < max; ) {
      Map.Entry<String, SlidingWindowCounter> e = it.next();
      SlidingWindowCounter c = e.getValue();
      if (c.retireIf(now, hitBefore) && counters.remove(e.getKey(), c)) dropped++;
    }
  }

  @Override
  public long size() {
    dropIdle(clock.millis());
    return counters.size();
  }
}
