package io.edgeray.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.H2Client;
import io.edgeray.testing.RawClient;
import io.edgeray.testing.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/2 visitors get the same proxied answers, the same error pages and the same log lines as HTTP/1.1 ones. */
class Http2VisitorTest {
  @RegisterExtension static final EdgeExtension edge = EdgeExtension.create().node("HTT").https().perClass();
  @TempDir static Path dir;
  static TestPki pki;
  static final List<FaultyOrigin> origins = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    pki = new TestPki(dir.resolve("pki"));
    int http = origin(FaultyOrigin.start().summaryEcho("h2-origin"));
    TestPki.Leaf expired = pki.leaf("expired.test").valid(Instant.now().minus(Duration.ofDays(9)),
        Instant.now().minus(Duration.ofDays(2))).issue();
    int expiredPort = origin(FaultyOrigin.startTls(expired).summaryEcho("expired-origin"));
    int closed = origin(FaultyOrigin.start(Fault.REFUSE));
    int echo = origin(FaultyOrigin.start()); // OK: the body is a JSON echo of the request
    cacheable = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 16);
    cacheable.createContext("/", ex -> {
      try (ex) {
        byte[] body = ex.getRequestURI().getPath().equals("/empty") ? new byte[0] : STORED;
        ex.getResponseHeaders().add("Cache-Control", "max-age=600");
        ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
        boolean head = ex.getRequestMethod().equals("HEAD");
        // an empty body is sent with its Content-Length: 0 (length -1 tells the JDK's server there is none)
        ex.sendResponseHeaders(200, head || body.length == 0 ? -1 : body.length);
        if (!head) ex.getResponseBody().write(body);
      }
    });
    cacheable.start();
    TestPki.Leaf visitors = pki.issue("shop.test", "down.test", "expired.test", "echo.test", "cache.test");
    String cert = visitors.yaml();
    edge.start(EdgeExtension.zone("shop.test", "ssl: flexible\norigin_ports: { http: " + http + ", https: " + closed + " }\n" + cert)
        + EdgeExtension.zone("down.test", "ssl: full\norigin_ports: { http: " + closed + ", https: " + closed + " }\n" + cert)
        + EdgeExtension.zone("expired.test", "ssl: strict\norigin_ca: " + pki.caFile() + "\norigin_ports: { http: " + closed + ", https: "
            + expiredPort + " }\n" + cert)
        + EdgeExtension.zone("echo.test", "ssl: flexible\norigin_ports: { http: " + echo + ", https: " + closed + " }\n" + cert)
        + EdgeExtension.zone("cache.test", "ssl: flexible\norigin_ports: { http: " + cacheable.getAddress().getPort()
            + ", https: " + closed + " }\n" + cert));
  }

  @AfterAll
  static void stop() {
    origins.forEach(FaultyOrigin::close);
    if (cacheable != null) cacheable.stop(0);
  }

  /** 3 KiB of every byte value: what the cacheable origin answers, but for /empty. */
  static final byte[] STORED = new byte[3 * 1024];
  static com.sun.net.httpserver.HttpServer cacheable;

  static {
    for (int i = 0; i < STORED.length; i++) STORED[i] = (byte) i;
  }

  @Test
  void aCacheHitOverHttp2IsTheStoredBodyWholeInOneAnswer() throws Exception {
    try (H2Client h2 = new H2Client(edge.httpsPort(), "cache.test", pki.ca())) {
      RawClient.Response miss = h2.send("GET", "cache.test", "/blob", null);
      RawClient.Response hit = h2.send("GET", "cache.test", "/blob", null);
      RawClient.Response head = h2.send("HEAD", "cache.test", "/blob", null);
      h2.send("GET", "cache.test", "/empty", null);
      RawClient.Response empty = h2.send("GET", "cache.test", "/empty", null);

      assertThat(miss.header("edge-cache-status")).isEqualTo("MISS");
      assertThat(hit.status()).isEqualTo(200);
      assertThat(hit.header("edge-cache-status")).isEqualTo("HIT");
      assertThat(hit.header("content-length")).isEqualTo("3072");
      assertThat(hit.bodyBytes()).isEqualTo(STORED);
      assertThat(edge.logLine(hit.header("edge-ray")).get("bytes_out").asLong()).isEqualTo(3072);
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("edge-cache-status")).isEqualTo("HIT");
      assertThat(head.header("content-length")).isEqualTo("3072");
      assertThat(head.bodyBytes()).isEmpty();
      assertThat(empty.header("edge-cache-status")).isEqualTo("HIT");
      assertThat(empty.header("content-length")).isEqualTo("0");
      assertThat(empty.bodyBytes()).isEmpty();
    }
  }

  @Test
  void aGetOverHttp2IsProxiedExactlyAsOverHttp1() throws Exception {
    try (H2Client h2 = new H2Client(edge.httpsPort(), "shop.test", pki.ca())) {
      assertThat(h2.protocol).isEqualTo("h2");
      RawClient.Response viaH2 = h2.send("GET", "shop.test", "/hello?x=1", null, "user-agent", "h2-test");
      RawClient.Response viaH1 = edge.getTls(pki.clientContext(), "shop.test", "/hello?x=1");

      assertThat(viaH2.status()).isEqualTo(200);
      assertThat(viaH2.body()).isEqualTo(viaH1.body())
          .isEqualTo("origin=h2-origin scheme=http xfp=https sni=- host=shop.test bytes=0 ext=[]");
      assertThat(viaH2.header("edge-ray")).matches("[0-9a-f]{16}-HTT");
      assertThat(viaH2.header("via")).isEqualTo(viaH1.header("via")).contains("edgeray-HTT");
      assertThat(viaH2.header("connection")).isNull();

      JsonNode line = edge.logLine(viaH2.header("edge-ray"));
      assertThat(line.get("status").asInt()).isEqualTo(200);
      assertThat(line.get("host").asText()).isEqualTo("shop.test");
      assertThat(line.get("path").asText()).isEqualTo("/hello?x=1");
      assertThat(line.get("method").asText()).isEqualTo("GET");
      assertThat(line.get("client_ip").asText()).isEqualTo("127.0.0.1");
      assertThat(line.get("user_agent").asText()).isEqualTo("h2-test");
    }
  }

  @Test
  void aRequestBodyWithoutContentLengthIsStreamedToTheOrigin() throws Exception {
    byte[] body = new byte[300_000];
    Arrays.fill(body, (byte) 'x');
    try (H2Client h2 = new H2Client(edge.httpsPort(), "shop.test", pki.ca())) {
      RawClient.Response res = h2.send("POST", "shop.test", "/upload", body);
      assertThat(res.status()).isEqualTo(200);
      assertThat(res.body()).contains(" bytes=300000 ");
      assertThat(edge.logLine(res.header("edge-ray")).get("bytes_in").asLong()).isEqualTo(300_000);
    }
  }

  @Test
  void manyStreamsOnOneConnectionAreEachProxied() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (H2Client h2 = new H2Client(edge.httpsPort(), "shop.test", pki.ca())) {
      List<Future<RawClient.Response>> answers = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        String path = "/stream/" + i;
        answers.add(pool.submit(() -> h2.send("GET", "shop.test", path, null)));
      }
      for (Future<RawClient.Response> f : answers) assertThat(f.get().status()).isEqualTo(200);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theErrorPageOverHttp2IsTheSameAsOverHttp1() throws Exception {
    try (H2Client h2 = new H2Client(edge.httpsPort(), "down.test", pki.ca())) {
      RawClient.Response viaH2 = h2.send("GET", "down.test", "/", null);
      RawClient.Response viaH1 = edge.getTls(pki.clientContext(), "down.test", "/");

      assertThat(viaH2.status()).isEqualTo(521).isEqualTo(viaH1.status());
      assertThat(viaH2.header("proxy-status")).isEqualTo("edgeray-HTT; error=connection_refused").isEqualTo(viaH1.header("proxy-status"));
      for (String h : List.of("content-type", "cache-control", "retry-after", "content-length")) {
        assertThat(viaH2.header(h)).as(h).isEqualTo(viaH1.header(h));
      }
      assertThat(normalized(viaH2)).isEqualTo(normalized(viaH1));
      JsonNode line = edge.logLine(viaH2.header("edge-ray"));
      assertThat(line.get("failure").asText()).isEqualTo("CONNECTION_REFUSED");
    }
  }

  @Test
  void aBadOriginCertificateGivesThe526PageOverHttp2() throws Exception {
    try (H2Client h2 = new H2Client(edge.httpsPort(), "expired.test", pki.ca())) {
      RawClient.Response res = h2.send("GET", "expired.test", "/", null, "accept", "application/json");
      assertThat(res.status()).isEqualTo(526);
      assertThat(res.header("proxy-status")).isEqualTo("edgeray-HTT; error=tls_certificate_error");
      assertThat(res.body()).contains("\"code\":526").contains("origin certificate expired");
      assertThat(edge.logLine(res.header("edge-ray")).get("failure").asText()).isEqualTo("TLS_CERTIFICATE");
    }
  }

  @Test
  void anHttp2VisitorsRequestReachesTheOriginWithVia2AndTheNodesName() throws Exception {
    try (H2Client h2 = new H2Client(edge.httpsPort(), "echo.test", pki.ca())) {
      RawClient.Response viaH2 = h2.send("GET", "echo.test", "/via", null);
      RawClient.Response viaH1 = edge.getTls(pki.clientContext(), "echo.test", "/via");

      assertThat(viaH2.status()).isEqualTo(200);
      assertThat(viaH1.status()).isEqualTo(200);
      assertThat(originHeader(viaH2, "via")).containsExactly("2 edgeray-HTT");
      assertThat(originHeader(viaH1, "via")).containsExactly("1.1 edgeray-HTT");
    }
  }

  /** Every value of a header of the request as the origin received it, from its JSON echo (pairs of name and value). */
  private static List<String> originHeader(RawClient.Response echo, String name) throws Exception {
    List<String> values = new ArrayList<>();
    for (JsonNode pair : new ObjectMapper().readTree(echo.body()).get("headers")) {
      if (pair.get(0).asText().equalsIgnoreCase(name)) values.add(pair.get(1).asText());
    }
    return values;
  }

  /** The page with what differs between two rays (id, time) taken out. */
  private static String normalized(RawClient.Response r) {
    return r.body().replace(r.header("edge-ray"), "RAY").replaceAll("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC", "TIME");
  }

  /** Keeps the origin to close after the class; returns its port. */
  private static int origin(FaultyOrigin o) {
    origins.add(o);
    return o.port();
  }
}
