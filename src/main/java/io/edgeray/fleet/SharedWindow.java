package io.edgeray.fleet;

import io.edgeray.security.RateCount;
import io.edgeray.security.RateQuota;

/**
 * One rate-limit counter as one node sees the fleet's: the same windows and weighting as the
 * local counter (fixed windows of one period; the previous window weighted by how much of it is
 * still inside the sliding period), counting the fleet's total as Redis last reported it plus
 * this node's hits Redis has not confirmed yet. A decision never waits for Redis: it is made on
 * what the node knows, and Redis's answer sharpens the next one. Across nodes a limit can thus
 * let through about one request per other node too many at its edge, never refuse early.
 */
final class SharedWindow {
  /** A hit the node let through, to be counted on Redis in {@code window}. */
  record Hit(RateCount count, long window, long periodMillis) {}

  private long window = Long.MIN_VALUE;
  private long shared;          // the window's fleet total as Redis last said, our confirmed hits included
  private long sharedPrevious;  // the previous window's fleet total
  private int pending;          // our hits Redis has not confirmed
  private long blockedUntil;

  synchronized Hit hit(RateQuota quota, long now) {
    long period = quota.period().toMillis();
    if (now < blockedUntil) return new Hit(new RateCount(true, 0, seconds(blockedUntil - now)), window, period);
    blockedUntil = 0;
    long w = Math.floorDiv(now, period);
    if (w != window) {
      sharedPrevious = w == window + 1 ? shared + pending : 0;
      shared = 0;
      pending = 0;
      window = w;
    }
    long intoWindow = now - w * period;
    double estimate = sharedPrevious * (1.0 - (double) intoWindow / period) + shared + pending;
    if (estimate + 1 > quota.requests()) {
      long mitigation = quota.mitigationTimeout().toMillis();
      if (mitigation > 0) {
        blockedUntil = now + mitigation;
        return new Hit(new RateCount(true, 0, seconds(mitigation)), w, period);
      }
      return new Hit(new RateCount(true, 0, seconds(period - intoWindow)), w, period);
    }
    pending++;
    int remaining = (int) Math.max(0, Math.floor(quota.requests() - (estimate + 1)));
    return new Hit(new RateCount(false, remaining, seconds(period - intoWindow)), w, period);
  }

  /** Redis counted one of our hits: the window's total is now {@code total}, the previous one's {@code previous}. */
  synchronized void confirmed(long w, long total, long previous) {
    if (w != window) return; // a late answer for a window that has passed
    if (pending > 0) pending--;
    shared = Math.max(shared, total);
    sharedPrevious = Math.max(sharedPrevious, previous);
  }

  private static long seconds(long millis) {
    return Math.max(1, (millis + 999) / 1000);
  }
}
