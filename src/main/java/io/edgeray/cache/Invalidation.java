package io.edgeray.cache;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which stored URLs an unsafe request invalidates (RFC 9111 §4.4): the target, and the same-host
 * Location and Content-Location of a non-error response. Pure.
 */
public final class Invalidation {
  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  private Invalidation() {}

  public static boolean unsafe(String method) {
    return !SAFE.contains(method);
  }

  /** The URLs (as {@link CacheKey#url()} spells them) to drop; empty for safe methods and error responses. */
  public static Set<String> urls(CacheRequest request, int status, HttpHeaders response, CacheKeySettings key) {
    if (!unsafe(request.method()) || status < 200 || status >= 400) return Set.of();
    Set<String> out = new LinkedHashSet<>();
    out.add(CacheKey.of(request, key).url());
    for (String field : new String[] {"Location", "Content-Location"}) {
      String v = response.get(field);
      if (v == null) continue;
      try {
        URI base = URI.create(request.scheme() + "://" + request.host() + request.path());
        URI target = base.resolve(v.trim());
        if (target.getHost() == null || !target.getHost().toLowerCase(Locale.ROOT).equals(request.host())) continue;
        if (!request.scheme().equalsIgnoreCase(target.getScheme())) continue;
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        String pq = target.getRawQuery() == null ? path : path + "?" + target.getRawQuery();
        out.add(CacheKey.of(new CacheRequest(request.zone(), "GET", request.scheme(), request.host(), pq, request.headers()), key).url());
      } catch (IllegalArgumentException e) {
        // a Location that is not a URI invalidates nothing
      }
    }
    return out;
  }
}
