package io.edgeray.cache;

import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The primary cache key of a request (scheme, host, path, query as the zone keys it, and the
 * chosen headers and cookies), and the URL it stands for (what a purge by file matches).
 */
public record CacheKey(String zone, String url, String primary) {

  public static CacheKey of(CacheRequest r, CacheKeySettings s) {
    String query = query(r.query(), s.query());
    String url = r.scheme() + "://" + r.host() + r.path() + (query == null ? "" : "?" + query);
    if (s.headers().isEmpty() && s.cookies().isEmpty()) return new CacheKey(r.zone(), url, url); // the usual key: no copy of it
    StringBuilder key = new StringBuilder(url);
    for (String h : s.headers()) {
      key.append("\nh:").append(h).append('=').append(String.join(",", r.headers().getAll(h)));
    }
    if (!s.cookies().isEmpty()) {
      String header = String.join("; ", r.headers().getAll("Cookie"));
      Set<Cookie> cookies = header.isEmpty() ? Set.of() : ServerCookieDecoder.LAX.decode(header);
      for (String name : s.cookies()) {
        key.append("\nc:").append(name).append('=');
        for (Cookie c : cookies) if (c.name().equals(name)) key.append(c.value());
      }
    }
    return new CacheKey(r.zone(), url, key.toString());
  }

  /** The query as it enters the key: as sent, left out, or with its parameters sorted. */
  static String query(String query, CacheKeySettings.QueryMode mode) {
    if (query == null || query.isEmpty()) return null;
    return switch (mode) {
      case INCLUDE -> query;
      case IGNORE -> null;
      case SORT -> {
        List<String> params = new ArrayList<>(Arrays.asList(query.split("&")));
        params.removeIf(String::isEmpty);
        params.sort(Comparator.comparing((String p) -> p.indexOf('=') < 0 ? p : p.substring(0, p.indexOf('=')))
            .thenComparing(Comparator.naturalOrder()));
        yield params.isEmpty() ? null : String.join("&", params);
      }
    };
  }
}
