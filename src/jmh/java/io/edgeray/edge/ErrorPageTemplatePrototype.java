package io.edgeray.edge;

import io.edgeray.origin.OriginFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.yaml.snakeyaml.Yaml;

/**
 * Not a benchmark of shipped code alone: it compares today's {@code ErrorPage.html} (about 20
 * {@code String.replace} passes over the whole page) with a prototype that splits the template
 * into literal and slot parts once and renders with one StringBuilder. {@link #setup} checks that
 * both give the same bytes, so the prototype is a drop-in. It lives in package
 * {@code io.edgeray.edge} only to reach the package-private {@code html} and {@code escape}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ErrorPageTemplatePrototype {
  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
  private static final List<String> PARTS = split(resource("error-page.html")); // even: literal, odd: slot name
  @SuppressWarnings("unchecked")
  private static final Map<String, Map<String, String>> TEXTS =
      (Map<String, Map<String, String>>) new Yaml().load(resource("error-texts.yaml"));

  private final ErrorPage.Facts facts = new ErrorPage.Facts(OriginFailure.CONNECTION_REFUSED, "8f3a1c0d2b4e6a71-AMS",
      "AMS", "shop.example", "203.0.113.7", Instant.parse("2026-11-23T10:00:00Z"), null);

  @Setup
  public void setup() {
    if (!prototype(facts).equals(ErrorPage.html(facts))) throw new AssertionError("the prototype renders another page");
  }

  @Benchmark
  public byte[] current() {
    return ErrorPage.html(facts).getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public byte[] prototype() {
    return prototype(facts).getBytes(StandardCharsets.UTF_8);
  }

  static String prototype(ErrorPage.Facts f) {
    Map<String, String> t = TEXTS.get(String.valueOf(f.error().code()));
    if (t == null) t = TEXTS.get(String.valueOf(f.error().status()));
    EdgeError.Culprit c = f.error().culprit();
    String host = ErrorPage.escape(f.host() == null ? "" : f.host());
    String ray = ErrorPage.escape(f.ray());
    StringBuilder b = new StringBuilder(6144);
    for (int i = 0; i < PARTS.size(); i++) {
      String p = PARTS.get(i);
      if (i % 2 == 0) {
        b.append(p);
        continue;
      }
      switch (p) {
        case "host" -> b.append(f.host() == null || f.host().isEmpty() ? "Host" : host);
        case "code" -> b.append(f.error().code());
        case "title" -> b.append(ErrorPage.escape(f.error().title()));
        case "time" -> UTC.formatTo(f.time(), b);
        case "node" -> b.append(ErrorPage.escape(f.node()));
        case "browserClass" -> b.append(c == EdgeError.Culprit.BROWSER ? "error" : "ok");
        case "browserState" -> b.append(c == EdgeError.Culprit.BROWSER ? "Error" : "Working");
        case "edgeClass" -> b.append(c == EdgeError.Culprit.EDGE ? "error" : "ok");
        case "edgeState" -> b.append(c == EdgeError.Culprit.EDGE ? "Error" : "Working");
        case "hostClass" -> b.append(c == EdgeError.Culprit.HOST ? "error" : "ok");
        case "hostState" -> b.append(c == EdgeError.Culprit.HOST ? "Error" : "Working");
        case "visitorWhat" -> fill(b, t.get("visitor_what"), host, ray);
        case "visitorDo" -> fill(b, t.get("visitor_do"), host, ray);
        case "ownerWhat" -> fill(b, t.get("owner_what"), host, ray);
        case "ownerDo" -> fill(b, t.get("owner_do"), host, ray);
        case "ownerDetail" -> {
          if (f.ownerDetail() != null) b.append("<p><code>").append(ErrorPage.escape(f.ownerDetail())).append("</code></p>");
        }
        case "ray" -> b.append(ray);
        case "clientIp" -> b.append(ErrorPage.escape(f.clientIp()));
        case "proxyStatus" -> b.append(f.error().proxyStatus());
        default -> b.append("{{").append(p).append("}}");
      }
    }
    return b.toString();
  }

  private static void fill(StringBuilder b, String text, String host, String ray) {
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

  private static String resource(String name) {
    try (InputStream in = ErrorPage.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
