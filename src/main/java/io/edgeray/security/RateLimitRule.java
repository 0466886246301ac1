package io.edgeray.security;

import java.util.List;

/**
 * One rate limit of a zone, compiled.
 *
 * @param expression which requests count; null counts every request of the zone
 * @param characteristics what makes a counter (at least one)
 * @param enabled a disabled rate limit is kept in the config but counts nothing
 */
public record RateLimitRule(
    String id,
    RuleExpression expression,
    List<Characteristic> characteristics,
    RateQuota quota,
    RateLimitAction action,
    boolean enabled) {

  public RateLimitRule(String id, RuleExpression expression, List<Characteristic> characteristics, RateQuota quota,
      RateLimitAction action) {
    this(id, expression, characteristics, quota, action, true);
  }

  public RateLimitRule {
    characteristics = List.copyOf(characteristics);
    if (characteristics.isEmpty()) throw new IllegalArgumentException("a rate limit needs at least one characteristic");
  }
}
