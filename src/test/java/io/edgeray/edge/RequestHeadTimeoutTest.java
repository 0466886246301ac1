package io.edgeray.edge;

import static io.edgeray.edge.ErrorPageAssertions.assertRefused;
import static io.edgeray.edge.ErrorPageAssertions.zone;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.Await;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.RawClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slowloris: a visitor that trickles its request head is answered 408 once the head is not
 * complete within limits.request_head_timeout of its first byte, and closed; other visitors are
 * served meanwhile. The clock runs per request head, not per connection. The edge's head timer
 * runs on a manual clock: the tests move time forward instead of sleeping.
 */
class RequestHeadTimeoutTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create().manualTime();
  private static final String LIMIT = "limits: { request_head_timeout: 500ms }\n";
  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private static final Duration JUST_BEFORE = TIMEOUT.minusMillis(1);

  @TempDir Path dir;

  @Test
  void headTrickledByteByByteGets408AndACloseWhileANormalRequestGets200() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK);
        RawClient slow = edge.start(LIMIT, zone(origin.port())).connect()) {
      awaitArmed(1);
      slow.send("GET /slow HTTP/1.1\r\nHost: shop.example\r\n");
      String rest = "X-Slow: " + "a".repeat(200) + "\r\n\r\n";
      int trickled = 0;
      for (; trickled < 20; trickled++) {
        slow.send(rest.substring(trickled, trickled + 1));
        edge.time().advance(Duration.ofMillis(20)); // one byte every 20 ms of the edge's clock
      }

      RawClient.Response normal = edge.get("shop.example", "/normal");
      assertThat(normal.status()).isEqualTo(200);

      edge.time().advance(JUST_BEFORE.minus(edge.time().now()));
      assertThat(edge.time().armed()).as("no answer before the head timeout").isEqualTo(1);
      edge.time().advance(Duration.ofMillis(1));
      RawClient.Response r = slow.readResponse();
      JsonNode line = assertRefused(edge, r, 408, "Request timeout", "REQUEST_TIMEOUT");
      assertThat(line.get("detail").asText()).startsWith("request head not complete 500 ms after the connection opened");
      assertThat(line.get("method").asText()).isEqualTo("GET");
      assertThat(line.get("path").asText()).isEqualTo("/slow");
      assertThat(edge.time().now()).isGreaterThanOrEqualTo(TIMEOUT).isLessThan(Duration.ofSeconds(5));
      assertThat(trickled).as("the head was still being trickled").isLessThan(rest.length());
      assertThat(slow.closedByPeer()).isTrue();

      assertThat(origin.requests()).extracting(q -> q.uri()).containsExactly("/normal");
      assertThat(edge.logLine(normal.header("edge-ray")).get("status").asInt()).isEqualTo(200);
    }
  }

  @Test
  void theClockStartsAtEachNewHeadSoAnIdleKeepAliveConnectionIsNotCutShort() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK);
        RawClient v = edge.start(LIMIT, zone(origin.port())).connect()) {
      v.send("GET /first HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      assertThat(v.readResponse().status()).isEqualTo(200);
      // deliberately idle for longer than the head timeout: idle time between requests is not head time
      edge.time().advance(TIMEOUT.plusMillis(300));
      v.send("GET /second HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      assertThat(v.readResponse().status()).isEqualTo(200);

      v.send("GET /third HTTP/1.1\r\nHost: sh");
      awaitArmed(1);
      edge.time().advance(TIMEOUT);
      RawClient.Response r = v.readResponse();
      JsonNode line = assertRefused(edge, r, 408, "Request timeout", "REQUEST_TIMEOUT");
      assertThat(line.get("path").asText()).isEqualTo("/third");
      assertThat(line.get("detail").asText()).startsWith("request head not complete 500 ms after its first byte");
      assertThat(v.closedByPeer()).isTrue();
      assertThat(origin.requests()).extracting(q -> q.uri()).containsExactly("/first", "/second");
    }
  }

  @Test
  void aConnectionThatNeverSendsAByteIsClosedSilentlyAfterTheHeadTimeout() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK);
        java.net.Socket idle = new java.net.Socket()) {
      edge.start(LIMIT, zone(origin.port()));
      idle.connect(edge.httpAddress(), 2_000);
      idle.setSoTimeout(5_000);
      awaitArmed(1);
      edge.time().advance(JUST_BEFORE);
      assertThat(edge.time().armed()).as("still open just before the head timeout").isEqualTo(1);
      edge.time().advance(Duration.ofMillis(1));
      // nothing to answer, so no 408 page: a browser's unused preconnect must not see an error
      assertThat(idle.getInputStream().read()).as("end of stream, no bytes").isEqualTo(-1);
      assertThat(edge.time().now()).isGreaterThanOrEqualTo(TIMEOUT.minusMillis(100)).isLessThan(Duration.ofSeconds(5));
      assertThat(edge.get("shop.example", "/after").status()).isEqualTo(200);
      assertThat(origin.requests()).extracting(q -> q.uri()).containsExactly("/after");
    }
  }

  @Test
  void strayLineBreaksAfterARequestDoNotStartTheClock() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK);
        RawClient v = edge.start(LIMIT, zone(origin.port())).connect()) {
      v.send("GET /first HTTP/1.1\r\nHost: shop.example\r\n\r\n\r\n"); // RFC 9112 §2.2: a stray CRLF is ignored
      assertThat(v.readResponse().status()).isEqualTo(200);
      assertThat(edge.time().armed()).as("no head timer after the stray CRLF").isZero();
      edge.time().advance(TIMEOUT.plusMillis(300)); // longer than the head timeout, on purpose
      v.send("GET /second HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      assertThat(v.readResponse().status()).isEqualTo(200);
    }
  }

  @Test
  void requestHeadTimeoutIsReadFromTheConfigWithFileAndLineOnError() throws Exception {
    var bad = dir.resolve("bad.yaml");
    java.nio.file.Files.writeString(bad, "node: T1\nlisten: { http: 127.0.0.1:0 }\nlimits:\n  request_head_timeout: soon\nzones: []\n");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> io.edgeray.config.load.ConfigLoader.load(bad)))
        .hasMessageStartingWith(bad + ":4: limits.request_head_timeout:");
    var good = dir.resolve("good.yaml");
    java.nio.file.Files.writeString(good, "node: T1\nlisten: { http: 127.0.0.1:0 }\nlimits: { request_head_timeout: 3s }\nzones: []\n");
    assertThat(io.edgeray.config.load.ConfigLoader.load(good).limits().requestHeadTimeout()).hasSeconds(3);
    assertThat(io.edgeray.config.Limits.DEFAULTS.requestHeadTimeout()).hasSeconds(10);
  }

  /** Waits (on real time, bounded) until the edge has armed {@code n} head timers on the manual clock. */
  private void awaitArmed(int n) {
    Await.until(Duration.ofSeconds(5), () -> edge.time().armed() == n, n + " head timer(s) armed");
  }
}
