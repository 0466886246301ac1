package io.edgeray.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;

/**
 * The counter store as it was before bfbae9c, for {@code RateCounterHits} only: the same
 * sliding-window counters in a Caffeine cache bounded by size, each expiring after its quota's
 * idle lifetime (variable expiry). Kept beside the benchmark so that the choice between the two
 * can be measured again; the edge does not use it.
 */
public final class CaffeineRateCounterStore implements RateCounterStore {
  private record Entry(SlidingWindowCounter counter, long lifetimeNanos) {}

  private final Cache<String, Entry> counters;

  public CaffeineRateCounterStore(int maxCounters, Clock clock) {
    this.counters = Caffeine.newBuilder()
        .maximumSize(maxCounters)
        .ticker(() -> clock.millis() * 1_000_000L)
        .executor(Runnable::run)
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
    Entry e = counters.getIfPresent(key);
    if (e == null) {
      e = counters.get(key, k -> new Entry(new SlidingWindowCounter(nowMillis, Long.MAX_VALUE),
          quota.idleLifetimeMillis() * 1_000_000L));
    }
    return e.counter().hit(quota, nowMillis); // never retired here: Caffeine drops the entry instead
  }

  @Override
  public long size() {
    counters.cleanUp();
    return counters.estimatedSize();
  }
}
