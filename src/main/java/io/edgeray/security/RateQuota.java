package io.edgeray.security;

import java.time.Duration;

/**
 * How many requests one counter allows per period, and how long a counter that went over stays
 * refused. What a {@link RateCounterStore} needs to know about a rule.
 */
public record RateQuota(int requests, Duration period, Duration mitigationTimeout) {
  public RateQuota {
    if (requests < 1) throw new IllegalArgumentException("requests must be at least 1");
    if (period.toMillis() < 1) throw new IllegalArgumentException("period must be at least 1 ms");
    if (mitigationTimeout.isNegative()) throw new IllegalArgumentException("mitigation_timeout must not be negative");
  }

  /** How long an idle counter still matters, in ms: the sliding window looks one period back, a block lasts its timeout. */
  long idleLifetimeMillis() {
    return Math.max(mitigationTimeout.toMillis(), 2 * period.toMillis());
  }
}
