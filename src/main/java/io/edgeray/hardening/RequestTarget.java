package io.edgeray.hardening;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The target of a request: host (lower case, no port, no trailing dot) and origin-form path.
 *
 * @param path null when an absolute-form target does not parse
 */
public record RequestTarget(String host, String path) {

  /** The host a request is for: from an absolute-form target if present (RFC 9112 §3.2.2), else Host. */
  public static RequestTarget of(HttpRequest req) {
    String uri = req.uri();
    String host;
    String path;
    if (RequestChecks.isAbsolute(uri)) {
      try {
        URI u = new URI(uri);
        host = u.getHost() == null ? "" : u.getHost();
        path = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
            + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
      } catch (URISyntaxException e) {
        return new RequestTarget("", null);
      }
    } else {
      host = stripPort(req.headers().get(HttpHeaderNames.HOST, ""));
      path = uri;
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) host = host.substring(0, host.length() - 1);
    return new RequestTarget(host, path);
  }

  private static String stripPort(String hostHeader) {
    String h = hostHeader.trim();
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      return close > 0 ? h.substring(0, close + 1) : h;
    }
    int colon = h.lastIndexOf(':');
    return colon >= 0 && h.indexOf(':') == colon ? h.substring(0, colon) : h;
  }
}
