package io.edgeray.security;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetAddress;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds {@link RequestFacts} from a Netty request head, so the engine's request-filter phase is
 * one call. The headers are a lazy view: a rule that asks for one header costs one lookup, and
 * only a rule that walks all of them builds the lower-cased map.
 */
public final class HttpRequestFacts {
  private HttpRequestFacts() {}

  /**
   * @param client the visitor's address (the TCP peer)
   * @param httpVersion {@code "HTTP/2"} for a stream of an HTTP/2 connection; null takes the head's own version
   */
  public static RequestFacts of(HttpRequest request, InetAddress client, boolean ssl, String httpVersion, String zone,
      String ray) {
    HttpHeaders h = request.headers();
    String target = request.uri();
    String authority = null;
    int schemeEnd = target.indexOf("://");
    if (schemeEnd > 0 && schemeEnd < 6) { // absolute form: http://host/path
      int pathStart = target.indexOf('/', schemeEnd + 3);
      authority = target.substring(schemeEnd + 3, pathStart < 0 ? target.length() : pathStart);
      target = pathStart < 0 ? "/" : target.substring(pathStart);
    }
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    String query = q < 0 ? "" : target.substring(q + 1);
    String host = hostWithoutPort(authority != null ? authority : h.get(HttpHeaderNames.HOST, ""));
    String fullUri = (ssl ? "https://" : "http://") + host + target;
    return new RequestFacts(client, host, request.method().name(), path, query, fullUri, new HeaderView(h), cookie(h),
        h.get(HttpHeaderNames.USER_AGENT, ""), h.get(HttpHeaderNames.REFERER, ""),
        httpVersion != null ? httpVersion : request.protocolVersion().text(), ssl, zone, ray);
  }

  /** The Cookie header, several joined with {@code "; "} (HTTP/2 may send each cookie alone); no list when there is none. */
  private static String cookie(HttpHeaders h) {
    String first = h.get(HttpHeaderNames.COOKIE);
    if (first == null) return "";
    List<String> cookies = h.getAll(HttpHeaderNames.COOKIE);
    return cookies.size() == 1 ? first : String.join("; ", cookies);
  }

  static String hostWithoutPort(String authority) {
    String a = authority.trim().toLowerCase(Locale.ROOT);
    if (a.startsWith("[")) {
      int close = a.indexOf(']');
      return close < 0 ? a : a.substring(0, close + 1);
    }
    int colon = a.indexOf(':');
    return colon < 0 ? a : a.substring(0, colon);
  }

  /** Netty's headers as lower-cased names to their values; Netty's lookups are case-insensitive already. */
  private static final class HeaderView extends AbstractMap<String, List<String>> {
    private final HttpHeaders headers;
    private Map<String, List<String>> all;

    HeaderView(HttpHeaders headers) {
      this.headers = headers;
    }

    @Override
    public List<String> get(Object name) {
      if (!(name instanceof String n) || !n.equals(n.toLowerCase(Locale.ROOT))) return null;
      List<String> values = headers.getAll(n);
      return values.isEmpty() ? null : values;
    }

    @Override
    public boolean containsKey(Object name) {
      return name instanceof String n && n.equals(n.toLowerCase(Locale.ROOT)) && headers.contains(n);
    }

    @Override
    public Set<Entry<String, List<String>>> entrySet() {
      if (all == null) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String name : headers.names()) {
          String lower = name.toLowerCase(Locale.ROOT);
          if (!m.containsKey(lower)) m.put(lower, List.copyOf(headers.getAll(name)));
        }
        all = m;
      }
      return all.entrySet();
    }
  }
}
