package io.edgeray.cache;

import io.netty.handler.codec.http.HttpHeaders;
import java.time.Instant;
import java.util.Locale;

/** RFC 9111 §3 for a shared cache, with the zone's settings and rule. Pure. */
public final class Storability {
  private Storability() {}

  /** Whether the request may be answered from the cache at all, before any response is seen. */
  public static StoreDecision lookupAllowed(String method, HttpHeaders request, CacheSettings zone, CacheRule rule) {
    if (!zone.enabled()) return StoreDecision.bypass("cache off");
    if (rule.bypass()) return StoreDecision.bypass("rule");
    if (!method.equals("GET") && !method.equals("HEAD")) return StoreDecision.dynamic("method");
    return StoreDecision.yes();
  }

  public static StoreDecision decide(String method, HttpHeaders request, int status, HttpHeaders response,
      CacheSettings zone, CacheRule rule, Freshness.Lifetime lifetime) {
    StoreDecision allowed = lookupAllowed(method, request, zone, rule);
    if (!allowed.store()) return allowed;
    if (!method.equals("GET")) return StoreDecision.dynamic("method");
    if (CacheControl.of(request).has("no-store")) return StoreDecision.bypass("request no-store");
    if (status < 200 || status == 206 || status == 304) return StoreDecision.dynamic("status " + status);
    EdgeDirectives d = EdgeDirectives.of(response);
    CacheControl cc = d.directives();
    if (cc.has("no-store")) return StoreDecision.bypass("no-store");
    if (cc.hasUnqualified("private")) return StoreDecision.bypass("private");
    if (request.contains("Authorization") && !(cc.has("public") || cc.has("s-maxage") || cc.has("must-revalidate"))) {
      return StoreDecision.bypass("authorization");
    }
    if (response.contains("Set-Cookie") && !rule.cacheSetCookie()) return StoreDecision.bypass("set-cookie");
    for (String vary : response.getAll("Vary")) {
      for (String name : vary.split(",")) if (name.trim().equals("*")) return StoreDecision.dynamic("vary *");
    }
    String length = response.get("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > zone.maxObjectSize()) return StoreDecision.bypass("too large");
      } catch (NumberFormatException e) {
        return StoreDecision.dynamic("bad content-length");
      }
    }
    Freshness.Source source = lifetime.source();
    if (source == Freshness.Source.EDGE_TTL && !rule.cacheEverything()) {
      // an edge TTL changes how long a cacheable response is kept; it does not make an uncacheable one cacheable
      source = Freshness.originLifetime(status, response, Instant.EPOCH, zone, rule).source();
    }
    if (source == Freshness.Source.NONE) return StoreDecision.dynamic("no freshness");
    if ((source == Freshness.Source.HEURISTIC || source == Freshness.Source.DEFAULT_TTL)
        && isHtml(response) && !rule.cacheEverything() && zone.respectOrigin()) {
      return StoreDecision.dynamic("html without explicit freshness");
    }
    boolean validators = response.contains("ETag") || response.contains("Last-Modified");
    boolean staleUsable = !cc.has("no-cache") && !d.forbidsStale()
        && (!zone.alwaysOnline().isZero() || cc.has("stale-if-error"));
    if (lifetime.value().isZero() && !validators && !staleUsable) return StoreDecision.dynamic("nothing to reuse");
    return StoreDecision.yes();
  }

  static boolean isHtml(HttpHeaders response) {
    String type = response.get("Content-Type");
    return type != null && type.toLowerCase(Locale.ROOT).startsWith("text/html");
  }
}
