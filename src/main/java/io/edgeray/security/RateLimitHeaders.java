package io.edgeray.security;

/**
 * The headers of a 429 from a rate limit, as draft-ietf-httpapi-ratelimit-headers writes them
 * (structured fields; the policy is named after the rule):
 * {@code RateLimit-Policy: "login";q=5;w=60}, {@code RateLimit: "login";r=0;t=600} and
 * {@code Retry-After: 600}.
 */
public record RateLimitHeaders(String policy, String rateLimit, long retryAfterSeconds) {
  static RateLimitHeaders of(RateLimitRule rule, RateCount count) {
    String name = "\"" + rule.id() + "\""; // ids are letters, digits, '-', '_' and '.': nothing to escape
    long window = Math.max(1, rule.quota().period().toSeconds());
    return new RateLimitHeaders(
        name + ";q=" + rule.quota().requests() + ";w=" + window,
        name + ";r=" + count.remaining() + ";t=" + count.resetSeconds(),
        count.resetSeconds());
  }

  public String retryAfter() {
    return Long.toString(retryAfterSeconds);
  }
}
