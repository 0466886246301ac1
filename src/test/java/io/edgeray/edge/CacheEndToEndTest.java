package io.edgeray.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgeray.testing.AdminClient;
import io.edgeray.testing.Await;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The cache, live in the edge: real visitors, a real origin on loopback, the access log. */
class CacheEndToEndTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stopThreads() {
    pool.shutdownNow();
  }

  /** An origin on 127.0.0.1 whose answers the test writes, counting what it is asked per path. */
  static final class Origin implements AutoCloseable {
    interface Handler {
      void handle(HttpExchange ex) throws IOException;
    }

    final HttpServer server;
    final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    final List<Headers> requests = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    Origin(Map<String, Handler> routes) throws IOException {
      this(0, routes);
    }

    /** On a given port: an origin coming back where it was. */
    Origin(int port, Map<String, Handler> routes) throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
      server.setExecutor(threads);
      server.createContext("/", ex -> {
        try (ex) {
          String path = ex.getRequestURI().getPath();
          hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
          requests.add(ex.getRequestHeaders());
          ex.getRequestBody().readAllBytes();
          Handler h = routes.get(path);
          if (h == null) {
            ex.sendResponseHeaders(404, -1);
          } else {
            h.handle(ex);
          }
        }
      });
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    int hits(String path) {
      AtomicInteger n = hits.get(path);
      return n == null ? 0 : n.get();
    }

    static Handler text(String body, String... headers) {
      return bytes(body.getBytes(StandardCharsets.UTF_8), headers);
    }

    static Handler bytes(byte[] body, String... headers) {
      return ex -> {
        for (int i = 0; i < headers.length; i += 2) ex.getResponseHeaders().add(headers[i], headers[i + 1]);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(200, head ? -1 : body.length);
        if (!head) ex.getResponseBody().write(body);
      };
    }

    @Override
    public void close() {
      server.stop(0);
      threads.shutdownNow();
    }
  }

  private String bodyOf(String path) {
    try {
      return edge.get("shop.example", path).body();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String zone(int port) {
    return "  - name: shop.example\n"
        + "    origin_ports: { http: " + port + " }\n"
        + "    records:\n"
        + "      - { type: A, name: \"@\", content: 127.0.0.1, proxied: true }\n";
  }

  @Test
  void aSecondGetIsAHitWithAgeAndTheOriginSawOneRequest() throws Exception {
    try (Origin origin = new Origin(Map.of("/a.css", Origin.text("body { color: red }", "Cache-Control", "max-age=600",
        "Content-Type", "text/css")))) {
      edge.start("", zone(origin.port()));
      RawClient.Response first = edge.get("shop.example", "/a.css");
      RawClient.Response second = edge.get("shop.example", "/a.css");

      assertThat(first.status()).isEqualTo(200);
      assertThat(first.header("edge-cache-status")).isEqualTo("MISS");
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.header("edge-cache-status")).isEqualTo("HIT");
      assertThat(second.header("age")).isNotNull();
      assertThat(second.header("cache-status")).contains("hit");
      assertThat(second.header("content-type")).isEqualTo("text/css");
      assertThat(second.header("edge-ray")).isNotEqualTo(first.header("edge-ray")).isNotBlank();
      assertThat(second.body()).isEqualTo("body { color: red }");
      assertThat(origin.hits("/a.css")).isEqualTo(1);

      JsonNode hitLine = edge.logLine(second.header("edge-ray"));
      assertThat(hitLine.get("cache").get("status").asText()).isEqualTo("HIT");
      JsonNode missLine = edge.logLine(first.header("edge-ray"));
      assertThat(missLine.get("cache").get("status").asText()).isEqualTo("MISS");
      assertThat(missLine.get("cache").get("stored").asBoolean()).isTrue();
    }
  }

  @Test
  void aPrivateResponseIsNeverServedToAnotherVisitor() throws Exception {
    AtomicInteger n = new AtomicInteger();
    try (Origin origin = new Origin(Map.of("/account", ex -> {
          byte[] body = ("account of visitor " + n.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Cache-Control", "private, max-age=600");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
        }))) {
      edge.start("", zone(origin.port()));
      RawClient.Response alice = edge.get("shop.example", "/account");
      RawClient.Response bob = edge.get("shop.example", "/account");

      assertThat(alice.body()).isEqualTo("account of visitor 1");
      assertThat(bob.body()).isEqualTo("account of visitor 2");
      assertThat(bob.header("edge-cache-status")).isNotEqualTo("HIT");
      assertThat(origin.hits("/account")).isEqualTo(2);
    }
  }

  @Test
  void aStoredCopyIsServedStaleWhenTheOriginRefusesAndTheLogStillNamesTheFailure() throws Exception {
    Origin origin = new Origin(Map.of("/", Origin.text("<h1>home</h1>", "Cache-Control", "max-age=0")));
    try {
      edge.start("", zone(origin.port()));
      assertThat(edge.get("shop.example", "/").status()).isEqualTo(200);
      origin.close(); // nothing listens on its port any more: connection refused

      RawClient.Response r = edge.get("shop.example", "/");

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("<h1>home</h1>");
      assertThat(r.header("edge-cache-status")).isEqualTo("STALE");
      assertThat(r.header("proxy-status")).contains("error=connection_refused");
      JsonNode line = edge.logLine(r.header("edge-ray"));
      assertThat(line.get("status").asInt()).isEqualTo(200);
      assertThat(line.get("failure").asText()).isEqualTo("CONNECTION_REFUSED");
      assertThat(line.get("cache").get("status").asText()).isEqualTo("STALE");
      assertThat(line.get("cache").get("origin_failure").asText()).isEqualTo("CONNECTION_REFUSED");
      assertThat(line.get("cache").get("origin_status").asInt()).isEqualTo(521);
      assertThat(edge.node().metrics().registry().scrape().stream()
          .filter(m -> m.getMetadata().getPrometheusName().equals("edgeray_origin_failures_served_stale"))
          .count()).isEqualTo(1);
    } finally {
      origin.close();
    }
  }

  @Test
  void whileTheOriginRefusesStaleCopiesAreServedWithoutTryingItAndItsReturnIsNoticedWithinASecond() throws Exception {
    Origin origin = new Origin(Map.of("/", Origin.text("<h1>home</h1>", "Cache-Control", "max-age=0"),
        "/a.css", Origin.text("body { color: red }", "Cache-Control", "max-age=0")));
    int port = origin.port();
    Origin back = null;
    try {
      edge.start("", zone(port));
      for (String p : List.of("/", "/a.css")) edge.logLine(edge.get("shop.example", p).header("edge-ray"));
      origin.close();

      RawClient.Response tried = edge.get("shop.example", "/");
      RawClient.Response skipped = edge.get("shop.example", "/a.css");

      assertThat(tried.header("edge-cache-status")).isEqualTo("STALE");
      assertThat(edge.logLine(tried.header("edge-ray")).get("attempts")).hasSize(1);
      assertThat(skipped.status()).isEqualTo(200);
      assertThat(skipped.body()).isEqualTo("body { color: red }");
      assertThat(skipped.header("edge-cache-status")).isEqualTo("STALE");
      assertThat(skipped.header("proxy-status")).startsWith("edgeray-").contains("; error=connection_refused; details=\"origin not tried: it failed ");
      JsonNode line = edge.logLine(skipped.header("edge-ray"));
      assertThat(line.get("status").asInt()).isEqualTo(200);
      assertThat(line.get("failure").asText()).isEqualTo("CONNECTION_REFUSED"); // counted as the outage it is
      assertThat(line.get("attempts")).isEmpty();
      assertThat(line.get("detail").asText()).startsWith("origin not tried: it failed ").endsWith(" ms ago");
      assertThat(line.get("cache").get("status").asText()).isEqualTo("STALE");
      assertThat(line.get("cache").get("origin_failure").asText()).isEqualTo("CONNECTION_REFUSED");
      assertThat(line.get("cache").get("origin_status").asInt()).isEqualTo(521);
      assertThat(line.get("cache").get("origin_failure_ray").asText()).isEqualTo(tried.header("edge-ray"));

      back = new Origin(port, Map.of("/a.css", Origin.text("body { color: blue }", "Cache-Control", "max-age=600")));
      Await.until(Duration.ofSeconds(5), () -> bodyOf("/a.css").equals("body { color: blue }"),
          "the edge still serves the stale copy seconds after the origin came back");
      assertThat(back.hits("/a.css")).isEqualTo(1);
    } finally {
      origin.close();
      if (back != null) back.close();
    }
  }

  @Test
  void withTheBannerOnAStaleHtmlPageSaysItIsASavedCopyWithTheRayIdAndOtherBodiesAreUntouched() throws Exception {
    byte[] gzipped = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    Origin origin = new Origin(Map.of(
        "/", Origin.text("<html><body class=\"home\"><h1>home</h1></body></html>", "Cache-Control", "max-age=0",
            "Content-Type", "text/html; charset=UTF-8", "ETag", "\"h1\""),
        "/a.css", Origin.text("body { color: red }", "Cache-Control", "max-age=0", "Content-Type", "text/css"),
        "/z.html", Origin.bytes(gzipped, "Cache-Control", "max-age=0", "Content-Type", "text/html",
            "Content-Encoding", "gzip")));
    try {
      edge.start("", zone(origin.port()) + "    cache: { always_online: { window: 1d, banner: true } }\n");
      for (String p : List.of("/", "/a.css", "/z.html")) edge.logLine(edge.get("shop.example", p).header("edge-ray"));
      origin.close();

      RawClient.Response page = edge.get("shop.example", "/");
      RawClient.Response css = edge.get("shop.example", "/a.css");
      RawClient.Response gz = edge.get("shop.example", "/z.html", "Accept-Encoding: gzip");

      assertThat(page.status()).isEqualTo(200);
      assertThat(page.header("edge-cache-status")).isEqualTo("STALE");
      String expected = "<html><body class=\"home\"><div role=\"status\"";
      assertThat(page.body()).startsWith(expected)
          .contains("You are seeing a saved copy of this page; the site's server is not answering right now.")
          .contains("Ray ID: <code>" + page.header("edge-ray") + "</code></div><h1>home</h1></body></html>");
      assertThat(page.header("content-length")).isEqualTo(Integer.toString(page.bodyBytes().length));
      assertThat(page.header("etag")).isNull();
      assertThat(page.header("cache-control")).isEqualTo("no-store");
      assertThat(css.header("edge-cache-status")).isEqualTo("STALE");
      assertThat(css.body()).isEqualTo("body { color: red }");
      assertThat(gz.header("edge-cache-status")).isEqualTo("STALE");
      assertThat(gz.bodyBytes()).isEqualTo(gzipped);
    } finally {
      origin.close();
    }
  }

  @Test
  void withoutAStoredCopyARefusingOriginStillGives521() throws Exception {
    Origin origin = new Origin(Map.of());
    int port = origin.port();
    origin.close();
    {
      edge.start("", zone(port));
      RawClient.Response r = edge.get("shop.example", "/never-stored");
      assertThat(r.status()).isEqualTo(521);
      assertThat(edge.logLine(r.header("edge-ray")).get("failure").asText()).isEqualTo("CONNECTION_REFUSED");
    }
  }

  @Test
  void aPurgeThroughTheAdminApiMakesTheNextRequestAMiss() throws Exception {
    try (Origin origin = new Origin(Map.of(
            "/p.js", Origin.text("one()", "Cache-Control", "max-age=600"),
            "/keep.js", Origin.text("two()", "Cache-Control", "max-age=600")))) {
      edge.start("admin: 127.0.0.1:0\n", zone(origin.port()));
      edge.get("shop.example", "/p.js");
      edge.get("shop.example", "/keep.js");
      assertThat(edge.get("shop.example", "/p.js").header("edge-cache-status")).isEqualTo("HIT");

      AdminClient.Response purged = purge(edge, "shop.example", "{\"files\": [\"http://shop.example/p.js\"]}");

      assertThat(purged.status()).isEqualTo(200);
      assertThat(purged.body()).contains("\"purged\":1");
      assertThat(edge.get("shop.example", "/p.js").header("edge-cache-status")).isEqualTo("MISS");
      assertThat(edge.get("shop.example", "/keep.js").header("edge-cache-status")).isEqualTo("HIT");
      assertThat(origin.hits("/p.js")).isEqualTo(2);

      assertThat(purge(edge, "shop.example", "{\"everything\": true}").status()).isEqualTo(200);
      assertThat(edge.get("shop.example", "/keep.js").header("edge-cache-status")).isEqualTo("MISS");
    }
  }

  @Test
  void theZonesCacheReportGivesTheHitRatioAndWhatEachTierHolds() throws Exception {
    try (Origin origin = new Origin(Map.of("/r.css", Origin.text("0123456789", "Cache-Control", "max-age=600")))) {
      edge.start("admin: 127.0.0.1:0\n", zone(origin.port()));
      edge.get("shop.example", "/r.css");
      for (int i = 0; i < 3; i++) edge.get("shop.example", "/r.css");

      io.edgeray.testing.AdminClient.Response r = edge.admin().get("/api/zones/shop.example/cache");

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("content-type")).startsWith("application/json");
      assertThat(r.header("cache-control")).isEqualTo("no-store");
      JsonNode report = r.json();
      assertThat(report.get("hit_ratio").asDouble()).isEqualTo(0.75);
      assertThat(report.get("requests").get("HIT").asLong()).isEqualTo(3);
      assertThat(report.get("requests").get("MISS").asLong()).isEqualTo(1);
      assertThat(report.get("served_bytes").asLong()).isEqualTo(30);
      assertThat(report.get("tiers").get("memory").get("zone_objects").asLong()).isEqualTo(1);
      assertThat(report.get("tiers").get("memory").get("capacity").asLong()).isEqualTo(256L << 20);
      assertThat(report.get("tiers").get("disk").isNull()).isTrue();
      io.edgeray.testing.AdminClient.Response missing = edge.admin().get("/api/zones/nowhere.example/cache");
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.errorCode()).isEqualTo("no_such_zone");
      assertThat(edge.admin().withoutToken().get("/api/zones/shop.example/cache").status()).isEqualTo(401);
    }
  }

  @Test
  void aPurgeNamesItsMistakes() throws Exception {
    try (Origin origin = new Origin(Map.of())) {
      edge.start("admin: 127.0.0.1:0\n", zone(origin.port()));
      assertThat(purge(edge, "nowhere.example", "{\"everything\": true}").status()).isEqualTo(404);
      AdminClient.Response bad = purge(edge, "shop.example", "{\"file\": [\"/x\"]}");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.body()).contains("unknown key file");
      assertThat(purge(edge, "shop.example", "{}").status()).isEqualTo(400);
      assertThat(purge(edge, "shop.example", "not json").status()).isEqualTo(400);
    }
  }

  @Test
  void concurrentMissesCollapseToOneOriginRequest() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    int visitors = 5;
    try (Origin origin = new Origin(Map.of("/hot", ex -> {
          try {
            if (!release.await(10, TimeUnit.SECONDS)) throw new IOException("never released");
          } catch (InterruptedException e) {
            throw new IOException(e);
          }
          Origin.text("hot stuff", "Cache-Control", "max-age=600").handle(ex);
        }))) {
      edge.start("", zone(origin.port()));
      List<Future<RawClient.Response>> answers = new ArrayList<>();
      for (int i = 0; i < visitors; i++) answers.add(pool.submit(() -> edge.get("shop.example", "/hot")));

      var cache = edge.node().server().cache();
      Await.until(Duration.ofSeconds(10), () -> origin.hits("/hot") == 1 && cache.collapsedWaiting() == visitors - 1,
          "one request at the origin and the others waiting for it");
      release.countDown();

      List<String> statuses = new ArrayList<>();
      for (Future<RawClient.Response> f : answers) {
        RawClient.Response r = f.get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hot stuff");
        statuses.add(r.header("edge-cache-status"));
      }
      assertThat(origin.hits("/hot")).isEqualTo(1);
      assertThat(statuses).containsOnlyOnce("MISS");
      assertThat(statuses).filteredOn("HIT"::equals).hasSize(visitors - 1);
    }
  }

  @Test
  void requestsWaitingForAFetchThatFailsGetTheFailureAndNeverHang() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    int visitors = 3;
    try (Origin origin = new Origin(Map.of("/broken", ex -> {
          try {
            if (!release.await(10, TimeUnit.SECONDS)) throw new IOException("never released");
          } catch (InterruptedException e) {
            throw new IOException(e);
          }
          throw new IOException("the origin drops the connection without an answer");
        }))) {
      edge.start("", zone(origin.port()));
      List<Future<RawClient.Response>> answers = new ArrayList<>();
      for (int i = 0; i < visitors; i++) answers.add(pool.submit(() -> edge.get("shop.example", "/broken")));
      var cache = edge.node().server().cache();
      Await.until(Duration.ofSeconds(10), () -> origin.hits("/broken") == 1 && cache.collapsedWaiting() == visitors - 1,
          "one request at the origin and the others waiting for it");
      release.countDown();

      for (Future<RawClient.Response> f : answers) {
        RawClient.Response r = f.get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(520);
        assertThat(edge.logLine(r.header("edge-ray")).get("failure").asText()).isEqualTo("RESPONSE_INCOMPLETE");
      }
      assertThat(origin.hits("/broken")).isEqualTo(1);
      assertThat(cache.fetchesInFlight()).isZero();
    }
  }

  @Test
  void anExpiredCopyIsRevalidatedWithItsETagAndA304ServesItAgain() throws Exception {
    try (Origin origin = new Origin(Map.of("/doc", ex -> {
          ex.getResponseHeaders().add("Cache-Control", "max-age=0");
          ex.getResponseHeaders().add("ETag", "\"v1\"");
          if ("\"v1\"".equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
            ex.sendResponseHeaders(304, -1);
          } else {
            Origin.text("version one").handle(ex);
          }
        }))) {
      edge.start("", zone(origin.port()));
      assertThat(edge.get("shop.example", "/doc").header("edge-cache-status")).isEqualTo("MISS");
      // the copy is committed once the answer has ended, which may be just after the visitor read it
      var cache = edge.node().server().cache();
      Await.until(Duration.ofSeconds(5), () -> cache.report("shop.example").memory().zoneObjects() == 1, "the copy stored");

      RawClient.Response r = edge.get("shop.example", "/doc");

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("version one");
      assertThat(r.header("edge-cache-status")).isEqualTo("REVALIDATED");
      assertThat(r.header("etag")).isEqualTo("\"v1\"");
      assertThat(origin.hits("/doc")).isEqualTo(2);
      assertThat(origin.requests.get(1).getFirst("If-None-Match")).isEqualTo("\"v1\"");
      assertThat(edge.logLine(r.header("edge-ray")).get("cache").get("status").asText()).isEqualTo("REVALIDATED");
    }
  }

  @Test
  void aLargeRandomBodyComesBackFromTheCacheByteForByte() throws Exception {
    byte[] body = new byte[1000 * 1000];
    new Random(42).nextBytes(body);
    try (Origin origin = new Origin(Map.of("/big.bin", Origin.bytes(body, "Cache-Control", "max-age=600",
        "Content-Type", "application/octet-stream")))) {
      edge.start("", zone(origin.port()));
      byte[] first = getBytes(edge, "/big.bin");
      byte[] second = getBytes(edge, "/big.bin");

      assertThat(first).isEqualTo(body);
      assertThat(second).isEqualTo(body);
      assertThat(origin.hits("/big.bin")).isEqualTo(1);
    }
  }

  @Test
  void aFollowingRequestOnAKeepAliveConnectionIsServedFromTheCacheToo() throws Exception {
    try (Origin origin = new Origin(Map.of("/k", Origin.text("kept", "Cache-Control", "max-age=600")))) {
      edge.start("", zone(origin.port()));
      List<String> statuses = new ArrayList<>();
      try (RawClient visitor = edge.connect()) {
        for (int i = 0; i < 3; i++) {
          RawClient.Response r = visitor.send("GET /k HTTP/1.1\r\nHost: shop.example\r\n\r\n").readResponse();
          assertThat(r.body()).isEqualTo("kept");
          statuses.add(r.header("edge-cache-status"));
        }
        visitor.send("HEAD /k HTTP/1.1\r\nHost: shop.example\r\n\r\n");
        String head = visitor.readHead();
        assertThat(head).containsIgnoringCase("edge-cache-status: HIT").containsIgnoringCase("content-length: 4");
      }
      assertThat(statuses).containsExactly("MISS", "HIT", "HIT");
    }
  }

  @Test
  void aCopyWithinStaleWhileRevalidateIsServedAtOnceAndOneBackgroundRefreshUpdatesIt() throws Exception {
    AtomicInteger version = new AtomicInteger();
    try (Origin origin = new Origin(Map.of("/news", ex -> Origin.text("edition " + version.incrementAndGet(),
        "Cache-Control", "max-age=1, stale-while-revalidate=600").handle(ex)))) {
      edge.start("", zone(origin.port()));
      assertThat(edge.get("shop.example", "/news").body()).isEqualTo("edition 1");
      Await.until(Duration.ofSeconds(5), () -> "UPDATING".equals(unchecked("/news").header("edge-cache-status")),
          "the copy turns stale and is served UPDATING");
      Await.until(Duration.ofSeconds(10), () -> edge.log().read().stream()
          .anyMatch(l -> l.path("cache").path("refresh").asBoolean()), "the background refresh's ray ended");

      RawClient.Response fresh = edge.get("shop.example", "/news");

      assertThat(fresh.header("edge-cache-status")).isEqualTo("HIT");
      assertThat(fresh.body()).isEqualTo("edition 2");
      assertThat(origin.hits("/news")).isEqualTo(2);
      assertThat(origin.requests.get(1).getFirst("Edgeray-Refresh")).isNull(); // the token stays in the edge
      List<JsonNode> lines = edge.log().read();
      JsonNode refresh = lines.stream().filter(l -> l.path("cache").path("refresh").asBoolean()).findFirst().orElseThrow();
      assertThat(refresh.get("cache").get("stored").asBoolean()).isTrue();
    }
  }

  @Test
  void aVisitorsGuessedRefreshTokenIsDroppedAndNotForwarded() throws Exception {
    try (Origin origin = new Origin(Map.of("/g", Origin.text("g", "Cache-Control", "no-store")))) {
      edge.start("", zone(origin.port()));
      RawClient.Response r = edge.get("shop.example", "/g", "Edgeray-Refresh: 00000000000000000000000000000000");
      assertThat(r.status()).isEqualTo(200);
      assertThat(origin.requests.get(0).getFirst("Edgeray-Refresh")).isNull();
      assertThat(edge.logLine(r.header("edge-ray")).get("cache").has("refresh")).isFalse();
    }
  }

  @Test
  void aSecondVisitorGetsAnObjectStillArrivingFromASlowOriginAsItArrives() throws Exception {
    byte[] body = new byte[600 * 1000];
    new Random(7).nextBytes(body);
    int half = body.length / 2;
    CountDownLatch rest = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean originFinished = new java.util.concurrent.atomic.AtomicBoolean();
    try (Origin origin = new Origin(Map.of("/slow.bin", ex -> {
          ex.getResponseHeaders().add("Cache-Control", "max-age=600");
          ex.sendResponseHeaders(200, body.length);
          OutputStream out = ex.getResponseBody();
          out.write(body, 0, half);
          out.flush();
          try {
            if (!rest.await(10, TimeUnit.SECONDS)) throw new IOException("never released");
          } catch (InterruptedException e) {
            throw new IOException(e);
          }
          out.write(body, half, body.length - half);
          originFinished.set(true);
        }))) {
      edge.start("", zone(origin.port()));
      Future<byte[]> first = pool.submit(() -> getBytes(edge, "/slow.bin"));
      Await.until(Duration.ofSeconds(10), () -> origin.hits("/slow.bin") == 1, "the first visitor's request at the origin");

      try (java.net.Socket second = new java.net.Socket("127.0.0.1", edge.httpPort())) {
        second.setSoTimeout(10_000);
        second.getOutputStream().write("GET /slow.bin HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        InputStream in = second.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        int headEnd = -1;
        while (headEnd < 0 || got.size() < headEnd + 1000) { // its head and its first body bytes
          int n = in.read(buf);
          assertThat(n).as("the edge answered the second visitor").isPositive();
          got.write(buf, 0, n);
          headEnd = got.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
        }
        assertThat(originFinished).as("the origin has not sent the rest yet").isFalse();
        String head = got.toString(StandardCharsets.ISO_8859_1).substring(0, headEnd);
        assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("edge-cache-status: HIT")
            .containsIgnoringCase("content-length: " + body.length);

        rest.countDown();
        in.transferTo(got);
        byte[] all = got.toByteArray();
        assertThat(java.util.Arrays.copyOfRange(all, headEnd + 4, all.length)).isEqualTo(body);
      }
      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(body);
      assertThat(origin.hits("/slow.bin")).isEqualTo(1);
    } finally {
      rest.countDown();
    }
  }

  @Test
  void anUnkeyedHeaderThatCouldPoisonTheCacheNeverReachesTheOrigin() throws Exception {
    try (Origin origin = new Origin(Map.of("/p", ex -> Origin.text("link to " + ex.getRequestHeaders().getFirst("Host")
        + " " + ex.getRequestHeaders().getFirst("X-Forwarded-Host"), "Cache-Control", "max-age=600").handle(ex)))) {
      edge.start("", zone(origin.port()));
      RawClient.Response poisoned = edge.get("shop.example", "/p", "X-Forwarded-Host: evil.example",
          "X-Original-URL: /admin");
      RawClient.Response next = edge.get("shop.example", "/p");

      assertThat(origin.requests.get(0).getFirst("X-Forwarded-Host")).isNull();
      assertThat(origin.requests.get(0).getFirst("X-Original-URL")).isNull();
      assertThat(poisoned.body()).isEqualTo("link to shop.example null");
      assertThat(next.header("edge-cache-status")).isEqualTo("HIT");
      assertThat(next.body()).doesNotContain("evil.example");
    }
  }

  @Test
  void anAnswerToOneVisitorsAuthorizationIsNotServedToAnother() throws Exception {
    try (Origin origin = new Origin(Map.of("/me", ex -> Origin.text("profile of "
        + ex.getRequestHeaders().getFirst("Authorization"), "Cache-Control", "max-age=600").handle(ex)))) {
      edge.start("", zone(origin.port()));
      RawClient.Response alice = edge.get("shop.example", "/me", "Authorization: Bearer alice");
      RawClient.Response anonymous = edge.get("shop.example", "/me");
      RawClient.Response bob = edge.get("shop.example", "/me", "Authorization: Bearer bob");

      assertThat(alice.body()).isEqualTo("profile of Bearer alice");
      assertThat(anonymous.body()).isEqualTo("profile of null");
      assertThat(bob.body()).isEqualTo("profile of Bearer bob");
      assertThat(origin.hits("/me")).isEqualTo(3);
    }
  }

  @Test
  void gzipAndIdentityVariantsUnderVaryAcceptEncodingComeBackByteForByte() throws Exception {
    byte[] plain = new byte[200_000];
    new Random(3).nextBytes(plain);
    ByteArrayOutputStream z = new ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(z)) {
      gz.write(plain);
    }
    byte[] gzipped = z.toByteArray();
    try (Origin origin = new Origin(Map.of("/v.bin", ex -> {
          boolean gzip = String.valueOf(ex.getRequestHeaders().getFirst("Accept-Encoding")).contains("gzip");
          Origin.bytes(gzip ? gzipped : plain, "Cache-Control", "max-age=600", "Vary", "Accept-Encoding",
              "Content-Encoding", gzip ? "gzip" : "identity").handle(ex);
        }))) {
      edge.start("", zone(origin.port()));
      for (int round = 0; round < 2; round++) {
        RawClient.Response g = edge.get("shop.example", "/v.bin", "Accept-Encoding: gzip");
        RawClient.Response i = edge.get("shop.example", "/v.bin");
        assertThat(g.bodyBytes()).isEqualTo(gzipped);
        assertThat(g.header("content-encoding")).isEqualTo("gzip");
        assertThat(i.bodyBytes()).isEqualTo(plain);
        if (round == 1) {
          assertThat(g.header("edge-cache-status")).isEqualTo("HIT");
          assertThat(i.header("edge-cache-status")).isEqualTo("HIT");
        } else {
          edge.logLine(g.header("edge-ray"));
          edge.logLine(i.header("edge-ray"));
        }
      }
      assertThat(origin.hits("/v.bin")).isEqualTo(2);
    }
  }

  private RawClient.Response unchecked(String path) {
    try {
      return edge.get("shop.example", path);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static AdminClient.Response purge(EdgeExtension edge, String zone, String json) throws Exception {
    return edge.admin().post("/api/zones/" + zone + "/purge", json);
  }

  /** The body of a GET, read by its Content-Length. */
  private static byte[] getBytes(EdgeExtension edge, String path) throws IOException {
    RawClient.Response r = edge.get("shop.example", path);
    assertThat(r.header("content-length")).isNotNull();
    return r.bodyBytes();
  }
}
