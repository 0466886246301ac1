package io.edgeray.config;

import java.time.Duration;

/**
 * Ejection on real traffic: {@code failures} connect failures in a row (521, 522, 523, 525, 526)
 * take an origin out for {@code baseEjection}, doubled for each ejection since its last success,
 * at most {@code maxEjection}; never more than {@code maxEjectedPercent} of a pool at once.
 */
public record PassiveHealth(int failures, Duration baseEjection, Duration maxEjection, int maxEjectedPercent) {
  public static final PassiveHealth DEFAULTS = new PassiveHealth(3, Duration.ofSeconds(30), Duration.ofSeconds(300), 50);

  /** How long the {@code n}th ejection in a row lasts (n from 1). */
  public Duration ejectionFor(int n) {
    long millis = baseEjection.toMillis();
    for (int i = 1; i < n && millis < maxEjection.toMillis(); i++) millis *= 2;
    return Duration.ofMillis(Math.min(millis, maxEjection.toMillis()));
  }
}
