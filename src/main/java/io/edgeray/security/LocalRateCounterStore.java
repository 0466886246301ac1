package io.edgeray.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;

/**
 * Counters in this process, in a Caffeine cache bounded two ways: a counter idle for longer than
 * it can matter (two periods, or its mitigation timeout) expires, and at most {@code maxCounters}
 * are kept, the least useful evicted first, so a flood of distinct keys (random API keys, spoofed
 * cookies) costs a bounded amount of heap. An evicted counter forgets its count: under such a
 * flood a limit can only become more lenient for the keys pushed out, never refuse more.
 */
public final class LocalRateCounterStore implements RateCounterStore {
  public static final int DEFAULT_MAX_COUNTERS = 100_000;

  private record Entry(SlidingWindowCounter counter, long lifetimeNanos) {}

  private final Cache<String, Entry> counters;

  public LocalRateCounterStore(Clock clock) {
    this(DEFAULT_MAX_COUNTERS, clock);
  }

  public LocalRateCounterStore(int maxCounters, Clock clock) {
    this.counters = Caffeine.newBuilder()
        .maximumSize(maxCounters)
        .ticker(() -> clock.millis() * 1_000_000L)
        .executor(Runnable::run) // maintenance on the caller: no extra thread, and tests see it at once
        .expireAfter(new Expiry<String, Entry>() {
          @Override
          public long expireAfterCreate(String key, Entry e, long now) {
            return e.lifetimeNanos();
          }

          @Override
          public long expireAfterUpdate(String key, Entry e, long now, long remaining) {
            return e.lifetimeNanos();
          }

          @Override
          public long expireAfterRead(String key, Entry e, long now, long remaining) {
            return e.lifetimeNanos();
          }
        })
        .build();
  }

  @Override
  public RateCount hit(String key, RateQuota quota, long nowMillis) {
    Entry e = counters.getIfPresent(key); // first: the mapping function captures, an allocation per request
    if (e == null) e = counters.get(key, k -> new Entry(new SlidingWindowCounter(), quota.idleLifetime().toNanos()));
    return e.counter().hit(quota, nowMillis);
  }

  @Override
  public long size() {
    counters.cleanUp();
    return counters.estimatedSize();
  }
}
