package io.edgeray.cache;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.Locale;

/**
 * What the cache needs to know about a visitor's request; the engine fills it from its own ray.
 *
 * @param zone the zone's name from the config (a metric label, so never a visitor's value)
 * @param method upper case
 * @param scheme {@code http} or {@code https}, as the visitor used
 * @param host the request's host name, without a port
 * @param pathAndQuery the request target in origin form: {@code /a/b?x=1}
 * @param headers the visitor's request headers (read, never changed)
 */
public record CacheRequest(String zone, String method, String scheme, String host, String pathAndQuery, HttpHeaders headers) {
  public CacheRequest {
    method = method.toUpperCase(Locale.ROOT);
    scheme = scheme.toLowerCase(Locale.ROOT);
    host = host.toLowerCase(Locale.ROOT);
  }

  public String path() {
    int q = pathAndQuery.indexOf('?');
    return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
  }

  /** The query without its {@code ?}, or null when there is none. */
  public String query() {
    int q = pathAndQuery.indexOf('?');
    return q < 0 ? null : pathAndQuery.substring(q + 1);
  }

  public boolean isHead() {
    return method.equals("HEAD");
  }
}
