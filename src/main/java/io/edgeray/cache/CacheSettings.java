package io.edgeray.cache;

import java.time.Duration;
import java.util.List;

/**
 * A zone's cache settings. The defaults are safe for a site that never thought about caching
 * (like Cloudflare's "Standard" level): the origin's Cache-Control is respected, nothing private,
 * personal (Authorization, Set-Cookie) or without freshness information is stored, HTML is stored
 * only when the origin gives it an explicit lifetime, and a stored copy stands in for a failing
 * origin for a day.
 *
 * @param enabled false: every request of the zone goes to the origin (BYPASS)
 * @param respectOrigin false: the origin's freshness directives are ignored and {@code edgeTtl}
 *     (or {@code defaultTtl}) is every storable object's lifetime; no-store and private still hold
 * @param defaultTtl the lifetime of a response with validators but no freshness, and the cap of the
 *     heuristic (10 % of the time since Last-Modified, RFC 9111 §4.2.2)
 * @param edgeTtl null, or the lifetime of every stored object whatever the origin says
 * @param browserTtl null, or the max-age sent to visitors in place of the origin's Cache-Control
 * @param maxObjectSize bodies larger than this are not stored
 * @param staleWhileRevalidate how long past its lifetime an object may be served while it is refreshed
 *     in the background (the response's own stale-while-revalidate wins when it says more)
 * @param alwaysOnline how long past its lifetime an object may stand in for an origin that fails
 *     (520-526, 530); zero turns Always Online off (the response's stale-if-error still holds)
 * @param rules host and path rules, first match wins
 * @param staleBanner whether a stale HTML copy served for a failing origin says so in a banner at
 *     the top of its body (uncompressed HTML only)
 */
public record CacheSettings(
    boolean enabled,
    boolean respectOrigin,
    Duration defaultTtl,
    Duration edgeTtl,
    Duration browserTtl,
    long maxObjectSize,
    CacheKeySettings cacheKey,
    Duration staleWhileRevalidate,
    Duration alwaysOnline,
    List<CacheRule> rules,
    boolean staleBanner) {

  public static final Duration DEFAULT_TTL = Duration.ofHours(2);
  public static final long DEFAULT_MAX_OBJECT_SIZE = 512L * 1024 * 1024;
  public static final Duration DEFAULT_ALWAYS_ONLINE = Duration.ofDays(1);

  public static final CacheSettings DEFAULTS = new CacheSettings(
      true, true, DEFAULT_TTL, null, null, DEFAULT_MAX_OBJECT_SIZE, CacheKeySettings.DEFAULTS,
      Duration.ZERO, DEFAULT_ALWAYS_ONLINE, List.of());

  /** The zone cache turned off: what a zone without a cache block would get if caching were opt-in. */
  public static final CacheSettings DISABLED = DEFAULTS.withEnabled(false);

  public CacheSettings {
    rules = List.copyOf(rules);
  }

  /** Settings without the stale banner (its default). */
  public CacheSettings(boolean enabled, boolean respectOrigin, Duration defaultTtl, Duration edgeTtl, Duration browserTtl,
      long maxObjectSize, CacheKeySettings cacheKey, Duration staleWhileRevalidate, Duration alwaysOnline,
      List<CacheRule> rules) {
    this(enabled, respectOrigin, defaultTtl, edgeTtl, browserTtl, maxObjectSize, cacheKey, staleWhileRevalidate,
        alwaysOnline, rules, false);
  }

  public CacheSettings withEnabled(boolean on) {
    return new CacheSettings(on, respectOrigin, defaultTtl, edgeTtl, browserTtl, maxObjectSize, cacheKey,
        staleWhileRevalidate, alwaysOnline, rules, staleBanner);
  }

  public CacheSettings withRules(List<CacheRule> newRules) {
    return new CacheSettings(enabled, respectOrigin, defaultTtl, edgeTtl, browserTtl, maxObjectSize, cacheKey,
        staleWhileRevalidate, alwaysOnline, newRules, staleBanner);
  }

  public CacheSettings withStaleBanner(boolean on) {
    return new CacheSettings(enabled, respectOrigin, defaultTtl, edgeTtl, browserTtl, maxObjectSize, cacheKey,
        staleWhileRevalidate, alwaysOnline, rules, on);
  }

  /** The first rule matching the host and path, or {@link CacheRule#NONE}. */
  public CacheRule ruleFor(String host, String path) {
    for (CacheRule r : rules) if (r.matches(host, path)) return r;
    return CacheRule.NONE;
  }

  /** The edge lifetime override for this rule: the rule's, else the zone's, else null. */
  Duration edgeTtl(CacheRule rule) {
    return rule.edgeTtl() != null ? rule.edgeTtl() : edgeTtl;
  }

  Duration browserTtl(CacheRule rule) {
    return rule.browserTtl() != null ? rule.browserTtl() : browserTtl;
  }
}
