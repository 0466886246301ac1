package io.edgeray.cache;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.OptionalLong;
import java.util.Set;

/** How long a response stays fresh at the edge (RFC 9111 §4.2.1, heuristics §4.2.2). Pure. */
public final class Freshness {
  /** RFC 9110 §15.1 and RFC 9111 §4.2.2: the codes that may be given a heuristic lifetime. */
  public static final Set<Integer> HEURISTICALLY_CACHEABLE = Set.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501);

  private Freshness() {}

  /** Where a lifetime came from. */
  public enum Source {
    EDGE_TTL, S_MAXAGE, MAX_AGE, EXPIRES, HEURISTIC, DEFAULT_TTL, NONE;

    public boolean explicit() {
      return this == S_MAXAGE || this == MAX_AGE || this == EXPIRES;
    }
  }

  public record Lifetime(Duration value, Source source) {
    static final Lifetime NONE = new Lifetime(Duration.ZERO, Source.NONE);
  }

  public static Lifetime lifetime(int status, HttpHeaders response, Instant responseTime, CacheSettings zone, CacheRule rule) {
    Duration override = zone.edgeTtl(rule);
    if (override != null) return new Lifetime(override, Source.EDGE_TTL);
    return originLifetime(status, response, responseTime, zone, rule);
  }

  /** The lifetime the response itself gives (explicit or heuristic), ignoring any edge TTL override. */
  public static Lifetime originLifetime(int status, HttpHeaders response, Instant responseTime, CacheSettings zone, CacheRule rule) {
    if (!zone.respectOrigin()) return new Lifetime(zone.defaultTtl(), Source.DEFAULT_TTL);
    return Signals.of(status, EdgeDirectives.of(response), response, dateOr(response, responseTime)).lifetime(zone, rule);
  }

  /**
   * What a response says about its own freshness before a zone's settings apply: parsed once when
   * it is stored or revalidated, so a hit only does the arithmetic of {@link #lifetime(CacheSettings, CacheRule)}.
   *
   * @param sMaxAge the s-maxage, or null
   * @param maxAge the max-age, or null
   * @param expires what Expires leaves after Date (zero when past or invalid), or null when it does not count
   * @param sinceModified Date minus Last-Modified (not negative), or null without a valid Last-Modified
   * @param heuristicStatus the status may be given a heuristic lifetime, or the response says public
   */
  public record Signals(Duration sMaxAge, Duration maxAge, Duration expires, Duration sinceModified, boolean heuristicStatus,
      boolean etag) {

    /** @param date the response's Date, or when it arrived */
    static Signals of(int status, EdgeDirectives d, HttpHeaders response, Instant date) {
      OptionalLong s = d.directives().seconds("s-maxage");
      OptionalLong m = d.directives().seconds("max-age");
      Duration expires = null;
      if (!d.targeted() && response.contains("Expires")) {
        Date at = DateFormatter.parseHttpDate(response.get("Expires"));
        Duration left = at == null ? Duration.ZERO : Duration.between(date, at.toInstant()); // invalid: already expired (§5.3)
        expires = left.isNegative() ? Duration.ZERO : left;
      }
      String lm = response.get("Last-Modified");
      Date lastModified = lm == null ? null : DateFormatter.parseHttpDate(lm);
      Duration since = null;
      if (lastModified != null) {
        since = Duration.between(lastModified.toInstant(), date);
        if (since.isNegative()) since = Duration.ZERO;
      }
      return new Signals(s.isPresent() ? Duration.ofSeconds(s.getAsLong()) : null,
          m.isPresent() ? Duration.ofSeconds(m.getAsLong()) : null, expires, since,
          HEURISTICALLY_CACHEABLE.contains(status) || d.has("public"), response.contains("ETag"));
    }

    /** The lifetime under this zone and rule, ignoring any edge TTL override. */
    public Lifetime lifetime(CacheSettings zone, CacheRule rule) {
      if (!zone.respectOrigin()) return new Lifetime(zone.defaultTtl(), Source.DEFAULT_TTL);
      if (sMaxAge != null) return new Lifetime(sMaxAge, Source.S_MAXAGE);
      if (maxAge != null) return new Lifetime(maxAge, Source.MAX_AGE);
      if (expires != null) return new Lifetime(expires, Source.EXPIRES);
      if (!heuristicStatus && !rule.cacheEverything()) return Lifetime.NONE;
      if (sinceModified != null) {
        Duration tenth = sinceModified.dividedBy(10);
        return new Lifetime(tenth.compareTo(zone.defaultTtl()) > 0 ? zone.defaultTtl() : tenth, Source.HEURISTIC);
      }
      if (etag || rule.cacheEverything()) return new Lifetime(zone.defaultTtl(), Source.DEFAULT_TTL);
      return Lifetime.NONE;
    }
  }

  /** The response's Date, or when it arrived if it has none (or a broken one). */
  static Instant dateOr(HttpHeaders h, Instant fallback) {
    String v = h.get("Date");
    Date d = v == null ? null : DateFormatter.parseHttpDate(v);
    return d == null ? fallback : d.toInstant();
  }
}
