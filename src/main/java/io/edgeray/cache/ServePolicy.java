package io.edgeray.cache;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Whether a stored response may answer a request without the origin (RFC 9111 §4, §4.2.4,
 * request directives §5.2.1, stale-while-revalidate RFC 5861). Pure.
 */
public final class ServePolicy {
  private static final CacheControl NO_CACHE = CacheControl.parse("no-cache");

  private ServePolicy() {}

  public enum Verdict {
    /** fresh and acceptable to the request */
    FRESH,
    /** stale, but the request's max-stale accepts it */
    STALE_ACCEPTED,
    /** stale within stale-while-revalidate: serve it and refresh in the background */
    STALE_WHILE_REVALIDATE,
    /** the origin must be asked (with the stored validators) */
    REVALIDATE
  }

  /**
   * @param age the stored response's current age
   * @param lifetime its freshness lifetime
   * @param fwd the RFC 9211 {@code fwd} reason when the verdict is REVALIDATE ({@code stale} or {@code request})
   */
  public record Evaluation(Verdict verdict, Duration age, Duration lifetime, String fwd) {
    /** Remaining freshness in whole seconds; negative when stale. */
    public long ttlSeconds() {
      return lifetime.minus(age).toSeconds();
    }

    public boolean servable() {
      return verdict != Verdict.REVALIDATE;
    }
  }

  public static Evaluation evaluate(EntryMeta entry, HttpHeaders request, Instant now, CacheSettings zone, CacheRule rule) {
    EntryFacts stored = entry.facts();
    Freshness.Lifetime life = stored.lifetime(zone, rule);
    Duration age = age(entry, now);
    Duration lifetime = life.value();
    CacheControl req = requestDirectives(request);
    boolean overridden = life.source() == Freshness.Source.EDGE_TTL || !zone.respectOrigin();
    if (req.has("no-cache")) return new Evaluation(Verdict.REVALIDATE, age, lifetime, "request");
    if (!overridden && stored.noCache()) return new Evaluation(Verdict.REVALIDATE, age, lifetime, "stale");
    OptionalLong maxAge = req.seconds("max-age");
    if (maxAge.isPresent() && age.getSeconds() > maxAge.getAsLong() && !req.has("max-stale")) {
      return new Evaluation(Verdict.REVALIDATE, age, lifetime, "request");
    }
    boolean fresh = age.compareTo(lifetime) < 0;
    if (fresh) {
      OptionalLong minFresh = req.seconds("min-fresh");
      if (minFresh.isPresent() && lifetime.minus(age).getSeconds() < minFresh.getAsLong()) {
        return new Evaluation(Verdict.REVALIDATE, age, lifetime, "request");
      }
      return new Evaluation(Verdict.FRESH, age, lifetime, null);
    }
    Duration staleness = age.minus(lifetime);
    boolean staleAllowed = overridden || !stored.forbidsStale();
    if (staleAllowed && req.has("max-stale")) {
      OptionalLong maxStale = req.argument("max-stale") == null ? OptionalLong.of(Long.MAX_VALUE) : req.seconds("max-stale");
      if (staleness.getSeconds() <= maxStale.getAsLong()) return new Evaluation(Verdict.STALE_ACCEPTED, age, lifetime, null);
    }
    if (staleAllowed && !req.has("max-age")) {
      Duration swr = zone.staleWhileRevalidate();
      OptionalLong own = stored.staleWhileRevalidate();
      if (own.isPresent() && Duration.ofSeconds(own.getAsLong()).compareTo(swr) > 0) swr = Duration.ofSeconds(own.getAsLong());
      if (staleness.compareTo(swr) <= 0 && !swr.isZero()) {
        return new Evaluation(Verdict.STALE_WHILE_REVALIDATE, age, lifetime, null);
      }
    }
    return new Evaluation(Verdict.REVALIDATE, age, lifetime, "stale");
  }

  /** current_age: the initial age worked out when the head was stored, plus the time since. */
  public static Duration age(EntryMeta entry, Instant now) {
    return EntryAge.current(entry.facts().initialAge(), entry.responseTime(), now);
  }

  /**
   * The request's Cache-Control; {@code Pragma: no-cache} counts as no-cache when there is none
   * (§5.4). Most requests have neither: they cost two lookups.
   */
  static CacheControl requestDirectives(HttpHeaders request) {
    if (request.contains(HttpHeaderNames.CACHE_CONTROL)) {
      CacheControl cc = CacheControl.of(request);
      if (!cc.isEmpty()) return cc;
    }
    if (!request.contains(HttpHeaderNames.PRAGMA)) return CacheControl.EMPTY;
    for (String p : request.getAll(HttpHeaderNames.PRAGMA)) {
      if (p.toLowerCase(java.util.Locale.ROOT).contains("no-cache")) return NO_CACHE;
    }
    return CacheControl.EMPTY;
  }
}
