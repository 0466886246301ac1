package io.edgeray.security;

import java.util.List;

/**
 * One rate limit of a zone, compiled.
 *
 * @param expression which requests count; null counts every request of the zone
 * @param characteristics what makes a counter (at least one)
 */
public record RateLimitRule(
    String id,
    RuleExpression expression,
    List<Characteristic> characteristics,
    RateQuota quota,
    RateLimitAction action) {

  public RateLimitRule {
    characteristics = List.copyOf(characteristics);
    if (characteristics.isEmpty()) throw new IllegalArgumentException("a rate limit needs at least one characteristic");
  }
}
