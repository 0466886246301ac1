package io.edgeray.security;

/**
 * Where rate-limit counters live. {@link LocalRateCounterStore} keeps them in this process; a
 * fleet implements this over a shared store (Redis) so all nodes count together. Implementations
 * are thread-safe and keep their memory bounded whatever the keys.
 */
public interface RateCounterStore {
  /**
   * Counts one request against the counter {@code key} (zone, rule and characteristic values),
   * unless it is over the quota, and says which.
   *
   * @param nowMillis the caller's clock, so every implementation agrees on time in tests
   */
  RateCount hit(String key, RateQuota quota, long nowMillis);

  /** Counters held now (approximate), for tests and metrics. */
  long size();
}
