package io.edgeray.security;

import io.netty.util.NetUtil;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A browser's request to shop.example, changed one fact at a time by the test. */
final class Visitor {
  private String ip = "198.51.100.23";
  private String host = "shop.example";
  private String method = "GET";
  private String path = "/products/42";
  private String query = "color=red&size=m";
  private boolean ssl = true;
  private String version = "HTTP/1.1";
  private String zone = "shop.example";
  private final Map<String, List<String>> headers = new LinkedHashMap<>();

  static Visitor browser() {
    Visitor v = new Visitor();
    v.headers.put("host", List.of("shop.example"));
    v.headers.put("user-agent", List.of("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"));
    v.headers.put("accept", List.of("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
    v.headers.put("accept-language", List.of("en-US,en;q=0.5"));
    v.headers.put("accept-encoding", List.of("gzip, deflate, br, zstd"));
    v.headers.put("referer", List.of("https://shop.example/"));
    v.headers.put("cookie", List.of("session=abc123; theme=dark"));
    return v;
  }

  Visitor ip(String a) { ip = a; return this; }
  Visitor host(String h) { host = h; return this; }
  Visitor method(String m) { method = m; return this; }
  Visitor path(String p) { path = p; return this; }
  Visitor query(String q) { query = q; return this; }
  Visitor ssl(boolean s) { ssl = s; return this; }
  Visitor version(String v) { version = v; return this; }
  Visitor zone(String z) { zone = z; return this; }

  Visitor header(String name, String... values) {
    headers.put(name, List.of(values));
    return this;
  }

  Visitor without(String header) {
    headers.remove(header);
    return this;
  }

  RequestFacts facts() {
    String cookie = headers.containsKey("cookie") ? String.join("; ", headers.get("cookie")) : "";
    String ua = headers.containsKey("user-agent") ? headers.get("user-agent").get(0) : "";
    String referer = headers.containsKey("referer") ? headers.get("referer").get(0) : "";
    String full = (ssl ? "https://" : "http://") + host + path + (query.isEmpty() ? "" : "?" + query);
    return new RequestFacts(NetUtil.createInetAddressFromIpAddressString(ip), host, method, path, query, full,
        Map.copyOf(headers), cookie, ua, referer, version, ssl, zone, "8f3a1c0d2b4e6a71-AMS");
  }
}
