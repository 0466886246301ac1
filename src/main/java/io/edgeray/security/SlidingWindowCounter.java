package io.edgeray.security;

/**
 * One counter, counted as Cloudflare describes its rate limiting: fixed windows of one period
 * aligned to the epoch, and a rate estimated as the current window's count plus the previous
 * window's weighted by how much of it still lies inside the sliding period
 * ({@code previous * (1 - elapsed / period) + current}). Two numbers per counter, and exact for
 * requests that fall in one window: N pass, the N+1st is refused.
 *
 * <p>A request that would take the estimate over the quota is refused and not counted, and the
 * counter stays refused for the mitigation timeout; when that block lifts, the counter starts
 * afresh. With a zero timeout there is no block: each request is refused only while the estimate
 * has no room, and Retry-After says when it will. Synchronized: requests
 * for one key from several event loops serialize on this small object only.
 *
 * <p>A counter not hit for its quota's idle lifetime no longer matters (its windows and its block
 * are over); {@link LocalRateCounterStore} drops it with {@link #retireIf}, after which it
 * answers no more hits, so none is counted on a counter that has left the store.
 */
final class SlidingWindowCounter {
  private long window = Long.MIN_VALUE;
  private int current;
  private int previous;
  private long blockedUntil;
  private long lastHit;
  private long idleLifetime;
  private boolean retired;

  /** A counter made at {@code now}: it is as idle as one just hit. */
  SlidingWindowCounter(long now, long idleLifetime) {
    this.lastHit = now;
    this.idleLifetime = idleLifetime;
  }

  /** Counts one request, as described above; null when the counter has been retired (look it up again). */
  synchronized RateCount hit(RateQuota quota, long now) {
    if (retired) return null;
    lastHit = now;
    idleLifetime = quota.idleLifetimeMillis();
    long period = quota.period().toMillis();
    if (now < blockedUntil) return new RateCount(true, 0, seconds(blockedUntil - now));
    if (blockedUntil != 0) { // the block has just lifted: start afresh
      blockedUntil = 0;
      current = 0;
      previous = 0;
    }
    long w = Math.floorDiv(now, period);
    if (w != window) {
      previous = w == window + 1 ? current : 0;
      current = 0;
      window = w;
    }
    long intoWindow = now - w * period;
    double estimate = previous * (1.0 - (double) intoWindow / period) + current;
    if (estimate + 1 > quota.requests()) {
      long mitigation = quota.mitigationTimeout().toMillis();
      if (mitigation == 0) return new RateCount(true, 0, seconds(untilAllowed(quota, period, intoWindow)));
      blockedUntil = now + mitigation;
      return new RateCount(true, 0, seconds(mitigation));
    }
    current++;
    int remaining = (int) Math.max(0, Math.floor(quota.requests() - (estimate + 1)));
    return new RateCount(false, remaining, seconds(period - intoWindow));
  }

  /** Retires the counter if it was idle for its lifetime at {@code now}, or last hit before {@code hitBefore}. */
  synchronized boolean retireIf(long now, long hitBefore) {
    if (!retired && (now - lastHit >= idleLifetime || lastHit < hitBefore)) retired = true;
    return retired;
  }

  /** When it was last hit, for the store's choice of what to drop when it is full. */
  synchronized long lastHit() {
    return lastHit;
  }

  /** Without a mitigation timeout: when the weighted previous window has faded enough for one more request. */
  private long untilAllowed(RateQuota quota, long period, long intoWindow) {
    if (current + 1 > quota.requests() || previous == 0) return period - intoWindow; // only a new window helps
    // previous * (1 - t/period) + current + 1 <= requests  =>  t >= period * (1 - (requests - current - 1) / previous)
    double t = period * (1.0 - (double) (quota.requests() - current - 1) / previous);
    return Math.max(1, (long) Math.ceil(t) - intoWindow);
  }

  private static long seconds(long millis) {
    return Math.max(1, (millis + 999) / 1000);
  }
}
