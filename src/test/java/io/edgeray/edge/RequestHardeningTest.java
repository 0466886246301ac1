package io.edgeray.edge;

import static io.edgeray.edge.ErrorPageAssertions.assertRefused;
import static io.edgeray.edge.ErrorPageAssertions.zone;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.RawClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Requests whose framing or syntax two HTTP parsers could read differently (the raw material of
 * request smuggling) are refused at the edge: the visitor gets the page with its ray id, the log
 * says exactly what was wrong, and not one byte reaches the origin.
 */
class RequestHardeningTest {
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
  void transferEncodingWhoseFinalCodingIsNotChunkedGets400EvenWithContentLength() throws Exception {
    RawClient.Response r = edge.raw("POST /m05 HTTP/1.1\r\n" + HOST
        + "Transfer-Encoding: xchunked\r\nContent-Length: 5\r\n\r\nhello");
    JsonNode line = assertRefused(edge, r, 400, "Bad request", "BAD_REQUEST");
    assertThat(line.get("detail").asText())
        .isEqualTo("Transfer-Encoding \"xchunked\" does not end in chunked, so the body has no knowable length (RFC 9112 §6.3)");
    assertOriginSawNothing();
  }

  @Test
  void transferEncodingSplitOverTwoLinesIsJudgedAsTheCombinedList() throws Exception {
    RawClient.Response r = edge.raw("POST /m07 HTTP/1.1\r\n" + HOST
        + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    JsonNode line = assertRefused(edge, r, 400, "Bad request", "BAD_REQUEST");
    assertThat(line.get("detail").asText()).contains("chunked, identity").contains("does not end in chunked");
    assertOriginSawNothing();
  }

  @Test
  void chunkedAppliedTwiceAcrossLinesGets400() throws Exception {
    RawClient.Response r = edge.raw("POST /twice HTTP/1.1\r\n" + HOST
        + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    JsonNode line = assertRefused(edge, r, 400, "Bad request", "BAD_REQUEST");
    assertThat(line.get("detail").asText()).contains("applies chunked more than once");
    assertOriginSawNothing();
  }

  @Test
  void codingBeforeChunkedGets501BecauseTheEdgeWouldChangeTheBodysMeaning() throws Exception {
    RawClient.Response r = edge.raw("POST /gz HTTP/1.1\r\n" + HOST
        + "Transfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    JsonNode line = assertRefused(edge, r, 501, "Transfer coding not implemented", "TRANSFER_CODING_NOT_IMPLEMENTED");
    assertThat(line.get("detail").asText()).isEqualTo("Transfer-Encoding \"gzip, chunked\": only chunked alone is forwarded");
    assertOriginSawNothing();
  }

  @Test
  void obsFoldInARequestHeaderGets400() throws Exception {
    RawClient.Response r = edge.raw("GET /m12 HTTP/1.1\r\n" + HOST + "X-Folded: a\r\n b\r\n\r\n");
    JsonNode line = assertRefused(edge, r, 400, "Bad request", "BAD_REQUEST");
    assertThat(line.get("detail").asText()).startsWith("malformed request: obs-fold: a header line starts with a space or tab");
    assertThat(line.get("path").asText()).isEqualTo("/m12");
    assertOriginSawNothing();
  }

  @Test
  void obsFoldWithATabArrivingInItsOwnPacketGets400() throws Exception {
    try (RawClient v = edge.connect()) {
      v.send("GET /tab HTTP/1.1\r\n" + HOST + "X-Folded: a\r\n");
      v.send("\tb\r\n\r\n");
      JsonNode line = assertRefused(edge, v.readResponse(), 400, "Bad request", "BAD_REQUEST");
      assertThat(line.get("detail").asText()).contains("obs-fold");
      assertThat(v.closedByPeer()).isTrue();
    }
    assertOriginSawNothing();
  }

  @Test
  void nulInTheRequestTargetGets400() throws Exception {
    RawClient.Response r = edge.raw("GET /m16\0x HTTP/1.1\r\n" + HOST + "\r\n");
    JsonNode line = assertRefused(edge, r, 400, "Bad request", "BAD_REQUEST");
    assertThat(line.get("detail").asText()).isEqualTo("control character 0x00 at position 4 of the request target");
    assertOriginSawNothing();
  }

  @Test
  void otherControlCharactersInTheTargetGet400() throws Exception {
    for (char c : new char[] {'\u0001', '\u001b', '\u007f'}) {
      RawClient.Response r = edge.raw("GET /a" + c + "b HTTP/1.1\r\n" + HOST + "\r\n");
      JsonNode line = assertRefused(edge, r, 400, "Bad request", "BAD_REQUEST");
      assertThat(line.get("detail").asText()).startsWith(String.format("control character 0x%02x", (int) c));
    }
    assertOriginSawNothing();
  }

  @Test
  void headArrivingInPiecesSplitInsideItsLineBreaksIsServed() throws Exception {
    try (RawClient v = edge.connect()) {
      for (String piece : new String[] {"\r\n", "GET /split HTTP/1.1\r", "\nHost: shop.exa", "mple\r\nX-A: b\r\n\r", "\n"}) {
        v.send(piece);
        Thread.sleep(30); // let each piece be read on its own (the result must not depend on it)
      }
      RawClient.Response r = v.readResponse();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).contains("\"path\":\"/split\"");
      v.send("GET /next HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      assertThat(v.readResponse().body()).contains("\"path\":\"/next\"");
    }
    assertThat(origin.requests()).extracting(q -> q.uri()).containsExactly("/split", "/next");
    assertThat(origin.requests().get(0).header("X-A")).contains("b");
  }

  @Test
  void aValidChunkedPostAndAFoldFreeHeadStillReachTheOrigin() throws Exception {
    RawClient.Response r = edge.raw("POST /sink HTTP/1.1\r\n" + HOST + "Transfer-Encoding: Chunked\r\n"
        + "X-Spaced: a b\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"received\":5}");
    var seen = origin.awaitRequests(1, Duration.ofSeconds(5)).get(0);
    assertThat(seen.header("X-Spaced")).contains("a b");
  }

  private void assertOriginSawNothing() {
    assertThat(origin.connectionsAccepted()).isZero();
    assertThat(origin.requests()).isEmpty();
  }
}
