package io.edgeray.security;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * What the request filter may look at: the visitor's request as the edge received it, every field
 * at once (tests and tools make these; the edge reads a Netty head lazily, {@link HttpRequestFacts}).
 * Nothing here refers to Netty.
 *
 * @param clientIp the visitor's address (the TCP peer)
 * @param host the Host header or :authority, lower-cased, without the port
 * @param path the path of the request target, without the query
 * @param query the query without the {@code ?}, or empty
 * @param fullUri scheme, host, path and query, as {@code https://shop.example/a?b=1}
 * @param headers lower-cased header names to their values in order
 * @param cookie the Cookie header as sent (several joined with {@code "; "}), or empty
 * @param userAgent the User-Agent header, or empty
 * @param referer the Referer header, or empty
 * @param httpVersion {@code HTTP/1.0}, {@code HTTP/1.1} or {@code HTTP/2}
 * @param ssl whether the visitor connected with TLS
 * @param zone the zone that serves the host, or null when none does (only edge-wide IP rules apply)
 * @param ray the ray id, copied into events
 */
public record RequestFacts(
    InetAddress clientIp,
    String host,
    String method,
    String path,
    String query,
    String fullUri,
    Map<String, List<String>> headers,
    String cookie,
    String userAgent,
    String referer,
    String httpVersion,
    boolean ssl,
    String zone,
    String ray) {

  public RequestFacts {
    if (clientIp == null) throw new IllegalArgumentException("clientIp is required");
    host = orEmpty(host);
    method = orEmpty(method);
    path = orEmpty(path);
    query = orEmpty(query);
    fullUri = orEmpty(fullUri);
    headers = headers == null ? Map.of() : headers;
    cookie = orEmpty(cookie);
    userAgent = orEmpty(userAgent);
    referer = orEmpty(referer);
    httpVersion = orEmpty(httpVersion);
    ray = orEmpty(ray);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  /** The first value of a header (name lower-cased), or null. */
  public String header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The value of one cookie in the Cookie header, or null. */
  public String cookieValue(String name) {
    return cookieValue(cookie, name);
  }

  /** The value of the cookie {@code name} in a Cookie header {@code c}, or null. */
  static String cookieValue(String c, String name) {
    int i = 0;
    while (i < c.length()) {
      int end = c.indexOf(';', i);
      if (end < 0) end = c.length();
      int eq = c.indexOf('=', i);
      if (eq > 0 && eq < end && c.substring(i, eq).trim().equals(name)) {
        return c.substring(eq + 1, end).trim();
      }
      i = end + 1;
    }
    return null;
  }
}
