package io.edgeray.edge;

import io.edgeray.failure.EdgeError;
import io.edgeray.failure.EdgeRefusal;
import io.edgeray.forwarding.ForwardHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.Yaml;

/**
 * The one page every edge-generated error is rendered with, as HTML or, for clients that ask for
 * it, as JSON with the same facts. Each error's page is compiled once ({@link HtmlPage}, {@link
 * JsonPage}) from templates that never change while the edge runs (they are resources), so a ray
 * pays only for its own facts: a storm of 521s must not cost more than the successes it replaces.
 */
public final class ErrorPage {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorPage.class);
  /** What a 405 allows (RFC 9110 §15.5.6): every method but CONNECT goes to the origin. */
  static final String ALLOWED_METHODS = "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH, TRACE";
  private static final AsciiString HTML_TYPE = AsciiString.cached("text/html; charset=UTF-8");
  private static final AsciiString JSON_TYPE = AsciiString.cached("application/json; charset=UTF-8");
  private static final AsciiString NO_STORE = AsciiString.cached("no-store");
  private static final String TEMPLATE = resource("error-page.html");
  private static final List<String> PARTS = split(TEMPLATE); // even: literal, odd: slot name
  private static final Map<String, Map<String, String>> TEXTS = loadTexts();
  /** Compiled on first use: an error without texts fails on its own page (plainly), not at start-up. */
  private static final ConcurrentMap<EdgeError, Compiled> COMPILED = new ConcurrentHashMap<>();

  /** The facts of one error page. {@code ownerDetail} is shown to everybody: never put an origin address in it. */
  public record Facts(EdgeError error, String ray, String node, String host, String clientIp, Instant time, String ownerDetail) {}

  /** Everything about one error's answer that is the same on every ray. */
  private static final class Compiled {
    final HttpResponseStatus status;
    final HtmlPage html;
    final JsonPage json;
    final JsonPage jsonWithDetail;
    final String retryAfter;
    /** The Proxy-Status value for the last pseudonym asked for (the pseudonym is config: it rarely changes). */
    volatile ProxyStatus proxyStatus = new ProxyStatus(null, null);

    Compiled(EdgeError e) {
      Map<String, String> t = texts(e);
      status = HttpResponseStatus.valueOf(e.status(), e.title());
      html = HtmlPage.compile(e, PARTS, t);
      json = JsonPage.compile(e, t, false);
      jsonWithDetail = JsonPage.compile(e, t, true);
      retryAfter = e.retryAfterSeconds() > 0 ? String.valueOf(e.retryAfterSeconds()) : null;
    }

    String proxyStatus(EdgeError e, String pseudonym) {
      ProxyStatus p = proxyStatus;
      if (!pseudonym.equals(p.pseudonym())) {
        p = new ProxyStatus(pseudonym, pseudonym + "; error=" + e.proxyStatus());
        proxyStatus = p;
      }
      return p.value();
    }
  }

  private record ProxyStatus(String pseudonym, String value) {}

  private ErrorPage() {}

  /** The page, its body from Netty's default allocator. */
  public static FullHttpResponse render(Facts f, boolean json, String pseudonym) {
    return render(f, json, pseudonym, ByteBufAllocator.DEFAULT);
  }

  /** The page, its body in one buffer of its exact size from {@code alloc}. */
  public static FullHttpResponse render(Facts f, boolean json, String pseudonym, ByteBufAllocator alloc) {
    EdgeError e = f.error();
    Compiled c = COMPILED.get(e);
    if (c == null) c = COMPILED.computeIfAbsent(e, Compiled::new);
    ByteBuf body;
    if (json) {
      body = (f.ownerDetail() == null ? c.json : c.jsonWithDetail).render(f, alloc);
    } else {
      int n = c.html.length(f);
      body = alloc.buffer(n, n);
      try {
        c.html.writeTo(body, f);
      } catch (RuntimeException bug) {
        body.release();
        throw bug;
      }
    }
    // an error page has no trailers: the empty ones spare a header map per page
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, c.status, body,
        DefaultHttpHeadersFactory.headersFactory().newHeaders(), EmptyHttpHeaders.INSTANCE);
    HttpHeaders h = res.headers();
    h.set(HttpHeaderNames.CONTENT_TYPE, json ? JSON_TYPE : HTML_TYPE);
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    h.set(HttpHeaderNames.CACHE_CONTROL, NO_STORE);
    h.set(ForwardHeaders.PROXY_STATUS, c.proxyStatus(e, pseudonym));
    h.set(ForwardHeaders.EDGE_RAY, f.ray());
    if (e == EdgeRefusal.METHOD_NOT_ALLOWED) h.set(HttpHeaderNames.ALLOW, ALLOWED_METHODS);
    if (c.retryAfter != null) h.set(HttpHeaderNames.RETRY_AFTER, c.retryAfter);
    return res;
  }

  /** The page, or when rendering fails (our bug) a plain one: the visitor still gets the status and the ray. */
  static FullHttpResponse renderOrPlain(Facts f, boolean json, String pseudonym, ByteBufAllocator alloc) {
    try {
      return render(f, json, pseudonym, alloc);
    } catch (RuntimeException | LinkageError bug) {
      LOG.error("error page for {} could not be rendered", f.error().name(), bug);
      FullHttpResponse page = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(f.error().status()),
          Unpooled.copiedBuffer("error " + f.error().code() + ", ray " + f.ray() + "\n", StandardCharsets.UTF_8));
      page.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      page.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, page.content().readableBytes());
      page.headers().set(ForwardHeaders.EDGE_RAY, f.ray());
      return page;
    }
  }

  /** Whether the client prefers JSON to HTML. */
  static boolean wantsJson(String accept) {
    if (accept == null) return false;
    int json = accept.indexOf("application/json");
    if (json < 0) return false;
    int html = accept.indexOf("text/html");
    return html < 0 || json < html;
  }

  private static List<String> split(String template) {
    List<String> parts = new ArrayList<>();
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

  /**
   * The page texts of {@code e}: its own (by name, where two errors share a code), else its
   * code's, else its status's (every 52x shares its status's).
   */
  static Map<String, String> texts(EdgeError e) {
    Map<String, String> t = TEXTS.get(e.name());
    if (t == null) t = TEXTS.get(String.valueOf(e.code()));
    return t != null ? t : TEXTS.get(String.valueOf(e.status()));
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
