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
    EdgeDirectives d = EdgeDirectives.of(response);
    OptionalLong s = d.directives().seconds("s-maxage");
    if (s.isPresent()) return new Lifetime(Duration.ofSeconds(s.getAsLong()), Source.S_MAXAGE);
    OptionalLong m = d.directives().seconds("max-age");
    if (m.isPresent()) return new Lifetime(Duration.ofSeconds(m.getAsLong()), Source.MAX_AGE);
    if (!d.targeted() && response.contains("Expires")) {
      Date expires = DateFormatter.parseHttpDate(response.get("Expires"));
      if (expires == null) return new Lifetime(Duration.ZERO, Source.EXPIRES); // invalid: already expired (§5.3)
      Instant date = dateOr(response, responseTime);
      Duration left = Duration.between(date, expires.toInstant());
      return new Lifetime(left.isNegative() ? Duration.ZERO : left, Source.EXPIRES);
    }
    boolean heuristicAllowed = HEURISTICALLY_CACHEABLE.contains(status) || d.has("public") || rule.cacheEverything();
    if (!heuristicAllowed) return Lifetime.NONE;
    Date lastModified = response.contains("Last-Modified") ? DateFormatter.parseHttpDate(response.get("Last-Modified")) : null;
    if (lastModified != null) {
      Duration sinceModified = Duration.between(lastModified.toInstant(), dateOr(response, responseTime));
      Duration tenth = sinceModified.isNegative() ? Duration.ZERO : sinceModified.dividedBy(10);
      return new Lifetime(tenth.compareTo(zone.defaultTtl()) > 0 ? zone.defaultTtl() : tenth, Source.HEURISTIC);
    }
    if (response.contains("ETag") || rule.cacheEverything()) return new Lifetime(zone.defaultTtl(), Source.DEFAULT_TTL);
    return Lifetime.NONE;
  }

  /** The response's Date, or when it arrived if it has none (or a broken one). */
  static Instant dateOr(HttpHeaders h, Instant fallback) {
    String v = h.get("Date");
    Date d = v == null ? null : DateFormatter.parseHttpDate(v);
    return d == null ? fallback : d.toInstant();
  }
}
