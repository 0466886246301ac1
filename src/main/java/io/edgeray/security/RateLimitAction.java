package io.edgeray.security;

import java.util.Locale;

/** What a rate limit does with a request over the limit. */
public enum RateLimitAction {
  /** 429 with page code 1015 and Retry-After, until the mitigation timeout has passed. */
  BLOCK,
  /** Record an event and let the request through. */
  LOG;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RateLimitAction parse(String word) {
    for (RateLimitAction a : values()) if (a.word().equals(word)) return a;
    return null;
  }
}
