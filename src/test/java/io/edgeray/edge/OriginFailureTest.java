package io.edgeray.edge;

import io.edgeray.observe.RayId;
import static io.edgeray.edge.ErrorPageAssertions.assertErrorPage;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.FullBacklogListener;
import io.edgeray.testing.Ports;
import io.edgeray.testing.RawClient;
import io.edgeray.testing.TestPki;
import io.edgeray.testing.TinyDns;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way an origin can fail, made for real on loopback, walked to its status, page title,
 * Proxy-Status, and the access-log line with the same ray id as the header and the page.
 */
class OriginFailureTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();

  @TempDir static Path pkiDir;

  private static final String UNKNOWN = "Web server is returning an unknown error";

  /** Every fault that ends in an error page, with the code, title, Proxy-Status and log failure DESIGN.md gives it. */
  static Stream<Arguments> faults() {
    return Stream.of(
        Arguments.of(Fault.REFUSE, 521, "Web server is down", "connection_refused", "CONNECTION_REFUSED"),
        Arguments.of(Fault.CLOSE_ON_ACCEPT, 520, UNKNOWN, "http_response_incomplete", "RESPONSE_INCOMPLETE"),
        Arguments.of(Fault.RESET_ON_ACCEPT, 520, UNKNOWN, "http_response_incomplete", "RESPONSE_INCOMPLETE"),
        Arguments.of(Fault.CLOSE_AFTER_REQUEST, 520, UNKNOWN, "http_response_incomplete", "RESPONSE_INCOMPLETE"),
        Arguments.of(Fault.GARBAGE_HEAD, 520, UNKNOWN, "http_protocol_error", "RESPONSE_MALFORMED"),
        Arguments.of(Fault.OVERSIZED_HEAD, 520, UNKNOWN, "http_response_header_section_size", "RESPONSE_HEAD_TOO_LARGE"),
        Arguments.of(Fault.NEVER_ANSWER, 524, "A timeout occurred", "http_response_timeout", "RESPONSE_TIMEOUT"),
        Arguments.of(Fault.SLOW_HEAD, 524, "A timeout occurred", "http_response_timeout", "RESPONSE_TIMEOUT"),
        Arguments.of(Fault.PLAIN_ON_TLS_PORT, 525, "SSL handshake failed", "tls_protocol_error", "TLS_HANDSHAKE"),
        Arguments.of(Fault.EXPIRED_CERTIFICATE, 526, "Invalid SSL certificate", "tls_certificate_error", "TLS_CERTIFICATE"),
        Arguments.of(Fault.NOT_YET_VALID_CERTIFICATE, 526, "Invalid SSL certificate", "tls_certificate_error", "TLS_CERTIFICATE"),
        Arguments.of(Fault.SELF_SIGNED_CERTIFICATE, 526, "Invalid SSL certificate", "tls_certificate_error", "TLS_CERTIFICATE"),
        Arguments.of(Fault.WRONG_HOST_CERTIFICATE, 526, "Invalid SSL certificate", "tls_certificate_error", "TLS_CERTIFICATE"));
  }

  /** The faults that end in the origin's own answer (or a cut connection after it began), not in an error page. */
  private static final Set<Fault> ANSWERED = EnumSet.of(Fault.OK, Fault.STATUS, Fault.KEEP_ALIVE_RACE, Fault.RESET_MID_BODY,
      Fault.SLOW_BODY, Fault.SLOW_BODY_CUT, Fault.OVERLONG_BODY, Fault.EARLY_HINTS, Fault.SHORT_KEEP_ALIVE);

  @ParameterizedTest(name = "{0} gives {1} {4}")
  @MethodSource("faults")
  void misbehavingOriginGivesItsCodeWithRayIdOnPageHeaderAndLog(Fault fault, int status, String title,
      String proxyStatus, String failure) throws Exception {
    boolean tls = fault.isCertificate() || fault == Fault.PLAIN_ON_TLS_PORT;
    TestPki pki = new TestPki(pkiDir.resolve(fault.name()));
    try (FaultyOrigin origin = fault.isCertificate() ? FaultyOrigin.startTls(pki, fault, "shop.example") : FaultyOrigin.start(fault)) {
      edge.start(tls ? tlsZone(origin.port(), pki) : zone(origin.port(), "read: 700ms"));
      RawClient.Response r = edge.get("shop.example", "/x");
      assertErrorPage(edge, r, status, title, proxyStatus, failure);
    }
  }

  @Test
  void everyFaultOfTheOriginIsWalkedToItsPageOrIsAnAnswer() {
    Set<Fault> walked = EnumSet.noneOf(Fault.class);
    faults().forEach(a -> walked.add((Fault) a.get()[0]));
    assertThat(walked).doesNotContainAnyElementsOf(ANSWERED);
    Set<Fault> all = EnumSet.copyOf(walked);
    all.addAll(ANSWERED);
    assertThat(all).containsExactlyInAnyOrder(Fault.values());
  }

  @Test
  void refusedOriginGives521WithRayIdOnPageAndInLog() throws Exception {
    edge.start(zone(Ports.closedPort(), ""));
    RawClient.Response r = edge.get("shop.example", "/");
    JsonNode line = assertErrorPage(edge, r, 521, "Web server is down", "connection_refused", "CONNECTION_REFUSED");
    assertThat(r.header("retry-after")).isEqualTo("30");
    assertThat(line.get("attempts")).hasSize(1);
    assertThat(line.get("detail").asText()).contains("Connection refused");
  }

  @Test
  void originThatNeverAcceptsGives522AfterTheConnectTimeout() throws Exception {
    try (FullBacklogListener full = FullBacklogListener.open()) {
      edge.start(zone(full.port(), "connect: 500ms"));
      RawClient.Response r = edge.get("shop.example", "/");
      assertErrorPage(edge, r, 522, "Connection timed out", "connection_timeout", "CONNECT_TIMEOUT");
    }
  }

  @Test
  void cnameThatDoesNotResolveGives530WithCode1016() throws Exception {
    try (TinyDns dns = TinyDns.start(Map.of());
        FaultyOrigin origin = FaultyOrigin.start(Fault.OK)) {
      edge.start("resolver: [127.0.0.1:" + dns.port() + "]\n", """
              - name: shop.example
                records:
                  - { type: CNAME, name: "@", content: origin.nowhere.test, proxied: true }
            """);
      RawClient.Response r = edge.get("shop.example", "/");
      JsonNode line = assertErrorPage(edge, r, 530, "Origin DNS error", "dns_error", "DNS_ERROR");
      assertThat(r.body()).contains("Error 1016");
      assertThat(line.get("edge_code").asInt()).isEqualTo(1016);
      assertThat(dns.questions()).isNotEmpty();
    }
  }

  @Test
  void originsOwn502IsPassedThroughUnchanged() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.STATUS).statusCode(502)) {
      edge.start(zone(origin.port(), ""));
      RawClient.Response r = edge.get("shop.example", "/");
      assertThat(r.status()).isEqualTo(502);
      assertThat(r.header("proxy-status")).isNull();
      JsonNode line = edge.logLine(r.header("edge-ray"));
      assertThat(line.get("origin_status").asInt()).isEqualTo(502);
      assertThat(line.get("failure").isNull()).isTrue();
    }
  }

  @Test
  void originSeesForwardingHeadersAndTheSameRayId() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK)) {
      edge.start(zone(origin.port(), ""));
      RawClient.Response r = edge.get("shop.example", "/hello?q=1", "X-Forwarded-For: 198.51.100.9",
          "Edge-Connecting-IP: 6.6.6.6", "Keep-Alive: timeout=5", "Connection: close, X-Secret");
      assertThat(r.status()).isEqualTo(200);
      var seen = origin.awaitRequests(1, java.time.Duration.ofSeconds(5)).get(0);
      assertThat(seen.uri()).isEqualTo("/hello?q=1");
      assertThat(seen.header("Edge-Ray")).contains(r.header("edge-ray"));
      assertThat(seen.header("X-Forwarded-For")).contains("198.51.100.9, 127.0.0.1");
      assertThat(seen.header("X-Forwarded-Proto")).contains("http");
      assertThat(seen.header("Edge-Connecting-IP")).contains("127.0.0.1");
      assertThat(seen.header("Via")).contains("1.1 edgeray-T1");
      assertThat(seen.header("CDN-Loop")).contains("edgeray-T1");
      assertThat(seen.header("Host")).contains("shop.example");
      assertThat(seen.header("Keep-Alive")).isEmpty();
      assertThat(seen.header("X-Secret")).isEmpty();
      assertThat(edge.logLine(r.header("edge-ray")).get("status").asInt()).isEqualTo(200);
    }
  }

  @Test
  void requestThatCameBackToUsIsALoopWithCode1000() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK)) {
      edge.start(zone(origin.port(), ""));
      RawClient.Response r = edge.get("shop.example", "/", "CDN-Loop: other-cdn, edgeray-T1");
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.header("proxy-status")).isEqualTo("edgeray-T1; error=proxy_loop_detected");
      assertThat(r.body()).contains("Error 1000");
      assertThat(origin.requests()).isEmpty();
    }
  }

  @Test
  void unknownHostIs1001AndIpLiteralIs1003AndForeignAbsoluteFormIsRefused() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK)) {
      edge.start(zone(origin.port(), ""));
      RawClient.Response unknown = edge.get("other.example", "/");
      assertThat(unknown.status()).isEqualTo(530);
      assertThat(unknown.body()).contains("Error 1001");
      RawClient.Response ip = edge.get("127.0.0.1", "/");
      assertThat(ip.status()).isEqualTo(403);
      assertThat(ip.body()).contains("Error 1003");
      RawClient.Response proxy = edge.raw("GET http://victim.example/ HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n");
      assertThat(proxy.status()).isEqualTo(530);
      assertThat(origin.requests()).isEmpty();
    }
  }

  @Test
  void malformedOversizedAndOverlongRequestsGet400And431And414() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK)) {
      edge.start("limits: { request_head: 4KiB, url_length: 1KiB }\n", zone(origin.port(), ""));
      assertThat(edge.raw("GET / HTTP/1.1\r\nHost shop.example\r\n\r\n").status()).isEqualTo(400);
      assertThat(edge.raw("GET / HTTP/1.1\r\nHost: shop.example\r\nX-Big: " + "a".repeat(8000) + "\r\n\r\n").status()).isEqualTo(431);
      assertThat(edge.raw("GET /" + "a".repeat(3000) + " HTTP/1.1\r\nHost: shop.example\r\n\r\n").status()).isEqualTo(414);
      assertThat(edge.raw("GET / HTTP/1.1\r\n\r\n").status()).isEqualTo(400);
      assertThat(origin.requests()).isEmpty();
    }
  }

  @Test
  void clientAskingForJsonGetsTheSameFactsAsJson() throws Exception {
    edge.start(zone(Ports.closedPort(), ""));
    RawClient.Response r = edge.get("shop.example", "/", "Accept: application/json");
    assertThat(r.status()).isEqualTo(521);
    assertThat(r.header("content-type")).isEqualTo("application/json; charset=UTF-8");
    JsonNode page = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
    assertThat(page.get("ray").asText()).isEqualTo(r.header("edge-ray"));
    assertThat(page.get("proxy_status").asText()).isEqualTo("connection_refused");
    assertThat(page.get("title").asText()).isEqualTo("Web server is down");
  }

  /** The zone with ssl: strict toward an origin on its HTTPS port, trusting the test CA. */
  private static String tlsZone(int port, TestPki pki) {
    return "  - name: shop.example\n"
        + "    ssl: strict\n"
        + "    origin_ca: " + pki.caFile() + "\n"
        + "    origin_ports: { https: " + port + " }\n"
        + "    records:\n"
        + "      - { type: A, name: \"@\", content: 127.0.0.1, proxied: true }\n";
  }

  private static String zone(int port, String timeouts) {
    return "  - name: shop.example\n"
        + "    origin_ports: { http: " + port + " }\n"
        + (timeouts.isEmpty() ? "" : "    timeouts: { " + timeouts + " }\n")
        + "    records:\n"
        + "      - { type: A, name: \"@\", content: 127.0.0.1, proxied: true }\n";
  }
}
