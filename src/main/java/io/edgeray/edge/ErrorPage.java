package io.edgeray.edge;

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
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * The one page every edge-generated error is rendered with, as HTML or, for clients that ask for
 * it, as JSON with the same facts. Templates load once; rendering is string replacement.
 */
public final class ErrorPage {
  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TEMPLATE = resource("error-page.html");
  private static final Map<String, Map<String, String>> TEXTS = loadTexts();

  /** The facts of one error page. {@code ownerDetail} is shown to everybody: never put an origin address in it. */
  public record Facts(EdgeError error, String ray, String node, String host, String clientIp, Instant time, String ownerDetail) {}

  private ErrorPage() {}

  public static FullHttpResponse render(Facts f, boolean json, String pseudonym) {
    byte[] body = json ? json(f) : html(f).getBytes(StandardCharsets.UTF_8);
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(f.error().status(), f.error().title()), Unpooled.wrappedBuffer(body));
    HttpHeaders h = res.headers();
    h.set(HttpHeaderNames.CONTENT_TYPE, json ? "application/json; charset=UTF-8" : "text/html; charset=UTF-8");
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    h.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    h.set(ForwardHeaders.PROXY_STATUS, pseudonym + "; error=" + f.error().proxyStatus());
    h.set(ForwardHeaders.EDGE_RAY, f.ray());
    if (f.error().retryAfterSeconds() > 0) h.setInt(HttpHeaderNames.RETRY_AFTER, f.error().retryAfterSeconds());
    return res;
  }

  static String html(Facts f) {
    Map<String, String> t = texts(f.error());
    EdgeError.Culprit c = f.error().culprit();
    String host = f.host() == null || f.host().isEmpty() ? "Host" : f.host();
    Map<String, String> v = new LinkedHashMap<>();
    v.put("host", escape(host));
    v.put("code", String.valueOf(f.error().code()));
    v.put("title", escape(f.error().title()));
    v.put("time", UTC.format(f.time()));
    v.put("node", escape(f.node()));
    v.put("browserClass", c == EdgeError.Culprit.BROWSER ? "error" : "ok");
    v.put("browserState", c == EdgeError.Culprit.BROWSER ? "Error" : "Working");
    v.put("edgeClass", c == EdgeError.Culprit.EDGE ? "error" : "ok");
    v.put("edgeState", c == EdgeError.Culprit.EDGE ? "Error" : "Working");
    v.put("hostClass", c == EdgeError.Culprit.HOST ? "error" : "ok");
    v.put("hostState", c == EdgeError.Culprit.HOST ? "Error" : "Working");
    v.put("visitorWhat", fill(t.get("visitor_what"), f));
    v.put("visitorDo", fill(t.get("visitor_do"), f));
    v.put("ownerWhat", fill(t.get("owner_what"), f));
    v.put("ownerDo", fill(t.get("owner_do"), f));
    v.put("ownerDetail", f.ownerDetail() == null ? "" : "<p><code>" + escape(f.ownerDetail()) + "</code></p>");
    v.put("ray", escape(f.ray()));
    v.put("clientIp", escape(f.clientIp()));
    v.put("proxyStatus", f.error().proxyStatus());
    String page = TEMPLATE;
    for (Map.Entry<String, String> e : v.entrySet()) page = page.replace("{{" + e.getKey() + "}}", e.getValue());
    return page;
  }

  private static byte[] json(Facts f) {
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

  private static Map<String, String> advice(String what, String todo, Facts f) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("what_happened", plain(fill(what, f)));
    m.put("what_to_do", plain(fill(todo, f)));
    return m;
  }

  private static Map<String, String> texts(EdgeError e) {
    Map<String, String> t = TEXTS.get(String.valueOf(e.code()));
    return t != null ? t : TEXTS.get(String.valueOf(e.status()));
  }

  /** Texts are our own and may hold markup; only the host and ray, which come from outside, are escaped. */
  private static String fill(String text, Facts f) {
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
