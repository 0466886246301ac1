package io.edgeray.edge;

import io.edgeray.forwarding.ForwardHeaders;
import io.edgeray.failure.EdgeError;
import io.edgeray.failure.EdgeRefusal;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * The error page renderer as it was before pages were compiled (at dfacbac), kept word for word
 * as the reference the compiled pages are checked against, byte for byte. Not used by the edge.
 */
final class LegacyErrorPage {
  /** What a 405 allows (RFC 9110 §15.5.6): every method but CONNECT goes to the origin. */
  static final String ALLOWED_METHODS = "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH, TRACE";
  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TEMPLATE = resource("error-page.html");
  private static final Map<String, Map<String, String>> TEXTS = loadTexts();

  private LegacyErrorPage() {}

  static FullHttpResponse render(ErrorPage.Facts f, boolean json, String pseudonym) {
    byte[] body = json ? json(f) : html(f).getBytes(StandardCharsets.UTF_8);
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(f.error().status(), f.error().title()), Unpooled.wrappedBuffer(body));
    HttpHeaders h = res.headers();
    h.set(HttpHeaderNames.CONTENT_TYPE, json ? "application/json; charset=UTF-8" : "text/html; charset=UTF-8");
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    h.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    h.set(ForwardHeaders.PROXY_STATUS, pseudonym + "; error=" + f.error().proxyStatus());
    h.set(ForwardHeaders.EDGE_RAY, f.ray());
    if (f.error() == EdgeRefusal.METHOD_NOT_ALLOWED) h.set(HttpHeaderNames.ALLOW, ALLOWED_METHODS);
    if (f.error().retryAfterSeconds() > 0) h.setInt(HttpHeaderNames.RETRY_AFTER, f.error().retryAfterSeconds());
    return res;
  }

  private static final java.util.List<String> PARTS = split(TEMPLATE); // even: literal, odd: slot name

  static String html(ErrorPage.Facts f) {
    Map<String, String> t = texts(f.error());
    EdgeError.Culprit c = f.error().culprit();
    String host = escape(f.host() == null ? "" : f.host());
    String ray = escape(f.ray());
    StringBuilder b = new StringBuilder(TEMPLATE.length() + 2048);
    for (int i = 0; i < PARTS.size(); i++) {
      String p = PARTS.get(i);
      if (i % 2 == 0) {
        b.append(p);
        continue;
      }
      switch (p) {
        case "host" -> b.append(f.host() == null || f.host().isEmpty() ? "Host" : host);
        case "titleHost" -> b.append(f.host() == null || f.host().isEmpty() ? "" : host + " | ");
        case "code" -> b.append(f.error().code());
        case "title" -> b.append(escape(f.error().title()));
        case "time" -> UTC.formatTo(f.time(), b);
        case "node" -> b.append(escape(f.node()));
        case "browserClass" -> b.append(c == EdgeError.Culprit.BROWSER ? "error" : "ok");
        case "browserState" -> b.append(c == EdgeError.Culprit.BROWSER ? "Error" : "Working");
        case "edgeClass" -> b.append(c == EdgeError.Culprit.EDGE ? "error" : "ok");
        case "edgeState" -> b.append(c == EdgeError.Culprit.EDGE ? "Error" : "Working");
        case "hostClass" -> b.append(c == EdgeError.Culprit.HOST ? "error" : "ok");
        case "hostState" -> b.append(c == EdgeError.Culprit.HOST ? "Error" : "Working");
        case "visitorWhat" -> fillInto(b, t.get("visitor_what"), host, ray);
        case "visitorDo" -> fillInto(b, t.get("visitor_do"), host, ray);
        case "ownerWhat" -> fillInto(b, t.get("owner_what"), host, ray);
        case "ownerDo" -> fillInto(b, t.get("owner_do"), host, ray);
        case "ownerDetail" -> {
          if (f.ownerDetail() != null) b.append("<p><code>").append(escape(f.ownerDetail())).append("</code></p>");
        }
        case "ray" -> b.append(ray);
        case "clientIp" -> b.append(escape(f.clientIp()));
        case "proxyStatus" -> b.append(f.error().proxyStatus());
        default -> b.append("{{").append(p).append("}}");
      }
    }
    return b.toString();
  }

  private static void fillInto(StringBuilder b, String text, String host, String ray) {
    int at = 0;
    while (true) {
      int open = text.indexOf('{', at);
      if (open < 0) break;
      if (text.startsWith("{host}", open)) {
        b.append(text, at, open).append(host);
        at = open + 6;
      } else if (text.startsWith("{ray}", open)) {
        b.append(text, at, open).append(ray);
        at = open + 5;
      } else {
        b.append(text, at, open + 1);
        at = open + 1;
      }
    }
    b.append(text, at, text.length());
  }

  private static java.util.List<String> split(String template) {
    java.util.List<String> parts = new java.util.ArrayList<>();
    int at = 0;
    while (true) {
      int open = template.indexOf("{{", at);
      int close = open < 0 ? -1 : template.indexOf("}}", open);
      if (close < 0) break;
      parts.add(template.substring(at, open));
      parts.add(template.substring(open + 2, close));
      at = close + 2;
    }
    parts.add(template.substring(at));
    return parts;
  }

  private static byte[] json(ErrorPage.Facts f) {
    Map<String, String> t = texts(f.error());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", f.error().status());
    m.put("code", f.error().code());
    m.put("title", f.error().title());
    m.put("error", f.error().name().toLowerCase());
    m.put("proxy_status", f.error().proxyStatus());
    m.put("culprit", f.error().culprit().name().toLowerCase());
    m.put("ray", f.ray());
    m.put("node", f.node());
    m.put("host", f.host());
    m.put("client_ip", f.clientIp());
    m.put("time", f.time().toString());
    m.put("visitor", advice(t.get("visitor_what"), t.get("visitor_do"), f));
    m.put("owner", advice(t.get("owner_what"), t.get("owner_do"), f));
    if (f.ownerDetail() != null) m.put("detail", f.ownerDetail());
    if (f.error().retryAfterSeconds() > 0) m.put("retry_after", f.error().retryAfterSeconds());
    try {
      return JSON.writeValueAsBytes(m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> advice(String what, String todo, ErrorPage.Facts f) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("what_happened", plain(fill(what, f)));
    m.put("what_to_do", plain(fill(todo, f)));
    return m;
  }

  /**
   * The page texts of {@code e}: its own (by name, where two errors share a code), else its
   * code's, else its status's (every 52x shares its status's).
   */
  static Map<String, String> texts(EdgeError e) {
    Map<String, String> t = TEXTS.get(e.name());
    if (t == null) t = TEXTS.get(String.valueOf(e.code()));
    return t != null ? t : TEXTS.get(String.valueOf(e.status()));
  }

  /** Texts are our own and may hold markup; only the host and ray, which come from outside, are escaped. */
  private static String fill(String text, ErrorPage.Facts f) {
    return text.replace("{host}", escape(f.host() == null ? "" : f.host())).replace("{ray}", escape(f.ray()));
  }

  private static String plain(String html) {
    return html.replaceAll("<[^>]+>", "").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        .replace("&quot;", "\"").replace("&#39;", "'");
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static String resource(String name) {
    try (InputStream in = ErrorPage.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, String>> loadTexts() {
    return (Map<String, Map<String, String>>) new Yaml().load(resource("error-texts.yaml"));
  }
}
