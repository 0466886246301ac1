package io.edgeray.edge;

import static io.edgeray.edge.ErrorPageAssertions.zone;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultBytes;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** When a kept-alive origin connection may be used again, and what an origin's interim answers do. */
class OriginConnectionReuseTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();

  @Test
  void bytesAfterTheContentLengthAreNeverReadAsTheNextVisitorsAnswer() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OVERLONG_BODY)) {
      edge.start(zone(origin.port()));
      RawClient.Response first = edge.get("shop.example", "/first");
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.body()).isEqualTo(FaultBytes.OVERLONG_BODY.substring(0, 10));
      JsonNode line = edge.logLine(first.header("edge-ray"));
      assertThat(line.get("detail").asText())
          .isEqualTo("origin sent 26 bytes after the end of its response (more than its Content-Length): connection closed, never reused");

      origin.fault(Fault.OK);
      RawClient.Response second = edge.get("shop.example", "/second");
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.body()).contains("\"path\":\"/second\"");
      assertThat(origin.connectionsAccepted()).isEqualTo(2);
    }
  }

  @Test
  void aConnectionTheOriginWillCloseWithinASecondIsNotKept() throws Exception {
    assertThat(originConnectionsForTwoRequests(Fault.SHORT_KEEP_ALIVE)).isEqualTo(2);
  }

  @Test
  void aConnectionTheOriginKeepsIsReused() throws Exception {
    assertThat(originConnectionsForTwoRequests(Fault.OK)).isEqualTo(1);
  }

  /** Every byte the edge answers with until it closes, interim answers included. */
  private String rawText(String zones, String request) throws Exception {
    try (RawClient c = edge.start(zones).connect()) {
      c.send(request);
      return new String(c.readToEnd(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** Two requests on one visitor connection, so both run on one event loop and share its idle origin connections. */
  private int originConnectionsForTwoRequests(Fault fault) throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(fault);
        RawClient v = edge.start(zone(origin.port())).connect()) {
      v.send("GET /one HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      assertThat(v.readResponse().status()).isEqualTo(200);
      v.send("GET /two HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      assertThat(v.readResponse().status()).isEqualTo(200);
      return origin.connectionsAccepted();
    }
  }

  @Test
  void earlyHintsReachAnHttp11VisitorBeforeTheAnswerWithoutTheOriginsHopByHopHeaders() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.EARLY_HINTS)) {
      String wire = rawText(zone(origin.port()), "GET /page HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n");
      assertThat(wire).startsWith("HTTP/1.1 103 Early Hints\r\n");
      assertThat(wire).containsIgnoringCase("link: " + FaultBytes.EARLY_HINT_LINK + "\r\n");
      assertThat(wire.indexOf("HTTP/1.1 200 OK")).isGreaterThan(wire.indexOf("103 Early Hints"));
      String hints = wire.substring(0, wire.indexOf("HTTP/1.1 200 OK"));
      assertThat(hints).doesNotContainIgnoringCase(FaultBytes.EARLY_HINT_HOP).doesNotContainIgnoringCase("connection:");
    }
  }

  @Test
  void anHttp10VisitorGetsNoInterimAnswer() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.EARLY_HINTS)) {
      String wire = rawText(zone(origin.port()), "GET /page HTTP/1.0\r\nHost: shop.example\r\n\r\n");
      assertThat(wire).startsWith("HTTP/1.1 200 OK\r\n").doesNotContain("103");
    }
  }
}
