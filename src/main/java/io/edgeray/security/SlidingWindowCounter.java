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
 */
final class SlidingWindowCounter {
  private long window = Long.MIN_VALUE;
  private int current;
  private int previous;
  private long blockedUntil;

  synchronized RateCount hit(RateQuota quota, long now) {
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
