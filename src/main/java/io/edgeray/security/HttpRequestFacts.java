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
 * A Netty request head as the rules read it: each field is worked out from the head the first
 * time a rule asks for it, and kept for the request's other rules. So a zone whose rules read
 * only the path never splits the Host header or joins the full URI, and no header is copied: a
 * rule that asks for one header costs one lookup in Netty's headers, and only a rule that walks
 * all of them builds the lower-cased map. {@link #of} makes the same fields into a
 * {@link RequestFacts} at once.
 */
public final class HttpRequestFacts extends RequestActivation {
  private final HttpRequest request;
  private final InetAddress client;
  private final boolean ssl;
  private final String httpVersion;
  private final String zone;
  private final String ray;

  // worked out when first read
  private String target; // the origin-form target; set with authority
  private String authority; // from an absolute-form target, else null
  private String path;
  private String query;
  private String host;
  private String fullUri;
  private String cookie;
  private String userAgent;
  private String referer;
  private HeaderView headers;

  /**
   * @param client the visitor's address (the TCP peer)
   * @param httpVersion {@code "HTTP/2"} for a stream of an HTTP/2 connection; null takes the head's own version
   */
  HttpRequestFacts(HttpRequest request, InetAddress client, boolean ssl, String httpVersion, String zone, String ray) {
    if (client == null) throw new IllegalArgumentException("clientIp is required");
    this.request = request;
    this.client = client;
    this.ssl = ssl;
    this.httpVersion = httpVersion;
    this.zone = zone;
    this.ray = ray == null ? "" : ray;
  }

  /** The same fields, all of them now. */
  public static RequestFacts of(HttpRequest request, InetAddress client, boolean ssl, String httpVersion, String zone,
      String ray) {
    HttpRequestFacts f = new HttpRequestFacts(request, client, ssl, httpVersion, zone, ray);
    return new RequestFacts(client, f.host(), f.method(), f.path(), f.query(), f.fullUri(), f.headers(), f.cookie(),
        f.userAgent(), f.referer(), f.httpVersion(), ssl, zone, f.ray());
  }

  @Override InetAddress clientAddress() { return client; }
  @Override boolean ssl() { return ssl; }
  @Override String zone() { return zone; }
  @Override String ray() { return ray; }
  @Override String method() { return request.method().name(); }

  @Override
  String httpVersion() {
    return httpVersion != null ? httpVersion : request.protocolVersion().text();
  }

  /** Splits an absolute-form target ({@code http://host/path}) into its authority and its origin form. */
  private String target() {
    String t = target;
    if (t == null) {
      t = request.uri();
      int schemeEnd = t.indexOf("://");
      if (schemeEnd > 0 && schemeEnd < 6) {
        int pathStart = t.indexOf('/', schemeEnd + 3);
        authority = t.substring(schemeEnd + 3, pathStart < 0 ? t.length() : pathStart);
        t = pathStart < 0 ? "/" : t.substring(pathStart);
      }
      target = t;
    }
    return t;
  }

  @Override
  String path() {
    String p = path;
    if (p == null) {
      String t = target();
      int q = t.indexOf('?');
      path = p = q < 0 ? t : t.substring(0, q);
    }
    return p;
  }

  @Override
  String query() {
    String q = query;
    if (q == null) {
      String t = target();
      int at = t.indexOf('?');
      query = q = at < 0 ? "" : t.substring(at + 1);
    }
    return q;
  }

  @Override
  String host() {
    String h = host;
    if (h == null) {
      target(); // an absolute-form target names the host itself
      host = h = hostWithoutPort(authority != null ? authority : request.headers().get(HttpHeaderNames.HOST, ""));
    }
    return h;
  }

  @Override
  String fullUri() {
    String u = fullUri;
    if (u == null) fullUri = u = (ssl ? "https://" : "http://") + host() + target();
    return u;
  }

  /** The Cookie header, several joined with {@code "; "} (HTTP/2 may send each cookie alone); no list when there is none. */
  @Override
  String cookie() {
    String c = cookie;
    if (c == null) {
      HttpHeaders h = request.headers();
      c = h.get(HttpHeaderNames.COOKIE);
      if (c == null) {
        c = "";
      } else {
        List<String> cookies = h.getAll(HttpHeaderNames.COOKIE);
        if (cookies.size() > 1) c = String.join("; ", cookies);
      }
      cookie = c;
    }
    return c;
  }

  @Override
  String userAgent() {
    String ua = userAgent;
    if (ua == null) userAgent = ua = request.headers().get(HttpHeaderNames.USER_AGENT, "");
    return ua;
  }

  @Override
  String referer() {
    String r = referer;
    if (r == null) referer = r = request.headers().get(HttpHeaderNames.REFERER, "");
    return r;
  }

  @Override
  Map<String, List<String>> headers() {
    HeaderView h = headers;
    if (h == null) headers = h = new HeaderView(request.headers());
    return h;
  }

  @Override
  boolean hasHeader(String name) {
    return name.equals(name.toLowerCase(Locale.ROOT)) && request.headers().contains(name); // as the lower-cased map answers
  }

  @Override
  String header(String name) {
    return name.equals(name.toLowerCase(Locale.ROOT)) ? request.headers().get(name) : null; // as the lower-cased map answers
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
