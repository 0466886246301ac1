package io.edgeray.cache;

import io.netty.util.AsciiString;

/** The short {@code Edge-Cache-Status} value, as people know it from Cloudflare's CF-Cache-Status. */
public enum EdgeCacheStatus {
  /** fresh from the cache */
  HIT,
  /** not in the cache: fetched from the origin (and stored if it may be) */
  MISS,
  /** in the cache but stale: fetched again from the origin */
  EXPIRED,
  /** a stale copy served because the origin failed (Always Online, stale-if-error) */
  STALE,
  /** a stale copy served while it is refreshed in the background (stale-while-revalidate) */
  UPDATING,
  /** a stale copy the origin confirmed with a 304 */
  REVALIDATED,
  /** the cache was told to stay out: a rule, the cache turned off, no-store, private, a cookie, Authorization */
  BYPASS,
  /** not eligible for caching: a method other than GET/HEAD, or a response without freshness information */
  DYNAMIC;

  public static final String HEADER = "Edge-Cache-Status";

  // on every cached answer: encoded by copying its bytes, where a String is written char by char
  private final AsciiString value = AsciiString.cached(name());

  /** The field's value: the name. */
  AsciiString value() {
    return value;
  }
}
