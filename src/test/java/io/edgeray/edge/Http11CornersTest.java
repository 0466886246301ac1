package io.edgeray.edge;

import static io.edgeray.edge.ErrorPageAssertions.assertRefused;
import static io.edgeray.edge.ErrorPageAssertions.zone;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.Fault;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The corners of RFC 9110 and 9112 that strict HTTP/1.1 clients check, from issue 17. */
class Http11CornersTest {
  private static final String HOST = "Host: shop.example\r\n";

  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();
  private FaultyOrigin origin;

  @BeforeEach
  void start() throws Exception {
    origin = FaultyOrigin.start(Fault.OK);
    edge.start(zone(origin.port()));
  }

  @AfterEach
  void stop() {
    origin.close();
  }

  @Test
  void everyEdgeMadeResponseCarriesDate() throws Exception {
    RawClient.Response page = edge.get("unknown.example", "/");
    assertThat(page.status()).isEqualTo(530);
    assertThat(page.header("date")).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
  }

  @Test
  void connectIsRefusedWith405AndTheAllowedMethods() throws Exception {
    RawClient.Response r = edge.raw("CONNECT shop.example:443 HTTP/1.1\r\n" + HOST + "\r\n");
    ErrorPageAssertions.assertErrorPage(edge, r, 405, "Method not allowed", "http_request_denied", "METHOD_NOT_ALLOWED");
    assertThat(r.header("allow")).isEqualTo("GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH, TRACE");
    assertThat(r.header("date")).isNotBlank();
  }

  @Test
  void anUnknownHttpMajorVersionGets505AndNeverReachesTheOrigin() throws Exception {
    RawClient.Response r = edge.raw("GET / HTTP/9.9\r\n" + HOST + "\r\n");
    JsonNode line = assertRefused(edge, r, 505, "HTTP version not supported", "HTTP_VERSION_NOT_SUPPORTED");
    assertThat(line.get("detail").asText()).startsWith("HTTP version HTTP/9.9 is not supported");
    assertThat(origin.requests()).isEmpty();
  }

  @Test
  void aContentLengthThatIsNotANumberGets400WithAPageAndALogLine() throws Exception {
    RawClient.Response r = edge.raw("POST /cl HTTP/1.1\r\n" + HOST + "Content-Length: abc\r\n\r\nhello");
    JsonNode line = assertRefused(edge, r, 400, "Bad request", "BAD_REQUEST");
    assertThat(line.get("path").asText()).isEqualTo("/cl");
    assertThat(origin.requests()).isEmpty();
  }

  @Test
  void aContentLengthThatOverflowsGets400WithAPageAndALogLine() throws Exception {
    RawClient.Response r = edge.raw("POST /cl HTTP/1.1\r\n" + HOST + "Content-Length: -99999999999999999999999\r\n\r\nhello");
    assertRefused(edge, r, 400, "Bad request", "BAD_REQUEST");
    assertThat(origin.requests()).isEmpty();
  }

  @Test
  void anOverlongTargetIsLoggedAsItsFirstKibibyteNotAPlaceholder() throws Exception {
    String target = "/" + "a".repeat(20 * 1024);
    RawClient.Response r = edge.raw("GET " + target + " HTTP/1.1\r\n" + HOST + "\r\n");
    JsonNode line = assertRefused(edge, r, 414, "URI too long", "URI_TOO_LONG");
    assertThat(line.get("path").asText()).startsWith("/aaaa").endsWith("...").hasSize(1024 + 3);
  }

  @Test
  void aPageForARequestWithoutAHostHasAPlainTitle() throws Exception {
    RawClient.Response r = edge.raw("GET / HTTP/1.1\r\n\r\n");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("<title>400: Bad request</title>");
  }
}
