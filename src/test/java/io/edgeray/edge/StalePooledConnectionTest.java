package io.edgeray.edge;

import static io.edgeray.edge.ErrorPageAssertions.zone;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.RawClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A pooled keep-alive connection that the origin closes just as the edge reuses it: an idempotent
 * request is replayed once on a new connection and the visitor never notices; a non-idempotent one
 * is not replayed (the origin may have acted on it) and gets the 520 that says what happened.
 */
class StalePooledConnectionTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();

  @Test
  void idempotentRequestOnAStalePooledConnectionIsReplayedOnceOnAFreshOneAndGets200() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.KEEP_ALIVE_RACE);
        RawClient v = edge.start(zone(origin.port())).connect()) {
      v.send("GET /first HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      assertThat(v.readResponse().body()).isEqualTo("answered on connection 1");

      v.send("GET /second HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      RawClient.Response r = v.readResponse();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("answered on connection 2");
      assertThat(seen(origin)).containsExactly("1 GET /first", "1 GET /second (closed unanswered)", "2 GET /second");

      JsonNode line = edge.logLine(r.header("edge-ray"));
      assertThat(line.get("status").asInt()).isEqualTo(200);
      assertThat(line.get("failure").isNull()).isTrue();
      JsonNode attempts = line.get("attempts");
      assertThat(attempts).hasSize(2);
      assertThat(attempts.get(0).get("reused").asBoolean()).isTrue();
      assertThat(attempts.get(0).get("failure").asText()).isEqualTo("RESPONSE_INCOMPLETE");
      assertThat(attempts.get(0).get("detail").asText())
          .isEqualTo("pooled connection was closed by the origin; retried on a new connection");
      assertThat(attempts.get(1).get("reused").asBoolean()).isFalse();
      assertThat(attempts.get(1).get("failure").isNull()).isTrue();
    }
  }

  @Test
  void headIsReplayedLikeGet() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.KEEP_ALIVE_RACE);
        RawClient v = edge.start(zone(origin.port())).connect()) {
      v.send("GET /first HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      assertThat(v.readResponse().status()).isEqualTo(200);
      v.send("HEAD /second HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      String head = v.readHead();
      assertThat(head).startsWith("HTTP/1.1 200 ");
      assertThat(seen(origin)).containsExactly("1 GET /first", "1 HEAD /second (closed unanswered)", "2 HEAD /second");
    }
  }

  @Test
  void putWithASmallBodyOnAStalePooledConnectionIsReplayedWithItsBody() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.KEEP_ALIVE_RACE);
        RawClient v = edge.start(zone(origin.port())).connect()) {
      v.send("GET /first HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      assertThat(v.readResponse().status()).isEqualTo(200);
      v.send("PUT /doc HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 11\r\n\r\nhello world");
      RawClient.Response r = v.readResponse();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("answered on connection 2");
      assertThat(seen(origin)).containsExactly("1 GET /first", "1 PUT /doc (closed unanswered)", "2 PUT /doc");
      assertThat(origin.requests().get(2).bodyBytes()).as("the body went again, whole").isEqualTo(11);
    }
  }

  @Test
  void postOnAStalePooledConnectionIsNotReplayedAndGets520() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.KEEP_ALIVE_RACE);
        RawClient v = edge.start(zone(origin.port())).connect()) {
      v.send("GET /first HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      assertThat(v.readResponse().status()).isEqualTo(200);

      v.send("POST /order HTTP/1.1\r\nHost: shop.example\r\nContent-Length: 0\r\n\r\n");
      RawClient.Response r = v.readResponse();
      assertThat(r.status()).isEqualTo(520);
      assertThat(r.header("proxy-status")).isEqualTo("edgeray-T1; error=http_response_incomplete");
      assertThat(seen(origin)).containsExactly("1 GET /first", "1 POST /order (closed unanswered)");
      assertThat(origin.connectionsAccepted()).isEqualTo(1);
      JsonNode line = edge.logLine(r.header("edge-ray"));
      assertThat(line.get("failure").asText()).isEqualTo("RESPONSE_INCOMPLETE");
      assertThat(line.get("attempts")).hasSize(1);
      assertThat(line.get("attempts").get(0).get("reused").asBoolean()).isTrue();
    }
  }

  /** What the origin received, as "connection method path", marked when it closed without answering. */
  private static java.util.List<String> seen(FaultyOrigin origin) {
    return origin.requests().stream()
        .map(r -> r.connection() + " " + r.method() + " " + r.uri() + (r.bodyBytes() < 0 ? " (closed unanswered)" : ""))
        .toList();
  }
}
