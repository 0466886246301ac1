package io.edgeray.edge;

import static io.edgeray.edge.ErrorPageAssertions.assertRefused;
import static io.edgeray.edge.ErrorPageAssertions.zone;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.RawClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slowloris: a visitor that trickles its request head is answered 408 once the head is not
 * complete within limits.request_head_timeout of its first byte, and closed; other visitors are
 * served meanwhile. The clock runs per request head, not per connection.
 */
class RequestHeadTimeoutTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();
  private static final String LIMIT = "limits: { request_head_timeout: 500ms }\n";
  private static final long TIMEOUT_MS = 500;

  @TempDir Path dir;

  @Test
  void headTrickledByteByByteGets408AndACloseWhileANormalRequestGets200() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK);
        RawClient slow = edge.start(LIMIT, zone(origin.port())).connect()) {
      long begin = System.nanoTime();
      slow.send("GET /slow HTTP/1.1\r\nHost: shop.example\r\n");
      AtomicInteger trickled = new AtomicInteger();
      String rest = "X-Slow: " + "a".repeat(200) + "\r\n\r\n";
      Thread trickler = trickle(slow, rest, trickled);

      RawClient.Response normal = edge.get("shop.example", "/normal");
      assertThat(normal.status()).isEqualTo(200);

      RawClient.Response r = slow.readResponse();
      int trickledBeforeAnswer = trickled.get();
      long tookMs = (System.nanoTime() - begin) / 1_000_000;
      JsonNode line = assertRefused(edge, r, 408, "Request timeout", "REQUEST_TIMEOUT");
      assertThat(line.get("detail").asText()).startsWith("request head not complete 500 ms after the connection opened");
      assertThat(line.get("method").asText()).isEqualTo("GET");
      assertThat(line.get("path").asText()).isEqualTo("/slow");
      assertThat(tookMs).isGreaterThanOrEqualTo(TIMEOUT_MS).isLessThan(5_000);
      assertThat(trickledBeforeAnswer).as("the head was still being trickled").isLessThan(rest.length());
      assertThat(slow.closedByPeer()).isTrue();
      trickler.join(5_000);

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
      Thread.sleep(TIMEOUT_MS + 300);
      v.send("GET /second HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      assertThat(v.readResponse().status()).isEqualTo(200);

      v.send("GET /third HTTP/1.1\r\nHost: sh");
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
      long begin = System.nanoTime();
      // nothing to answer, so no 408 page: a browser's unused preconnect must not see an error
      assertThat(idle.getInputStream().read()).as("end of stream, no bytes").isEqualTo(-1);
      long tookMs = (System.nanoTime() - begin) / 1_000_000;
      assertThat(tookMs).isGreaterThanOrEqualTo(TIMEOUT_MS - 100).isLessThan(5_000);
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
      Thread.sleep(TIMEOUT_MS + 300); // longer than the head timeout, on purpose
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

  /** Writes one byte every 20 ms until all are sent or the edge closes; bounded by the text's length. */
  private static Thread trickle(RawClient v, String rest, AtomicInteger sent) {
    Thread t = new Thread(() -> {
      try {
        for (int i = 0; i < rest.length(); i++) {
          v.send(rest.substring(i, i + 1));
          sent.incrementAndGet();
          Thread.sleep(20);
        }
      } catch (IOException | InterruptedException closedByEdge) {
        // the edge answered and closed: the trickle ends here
      }
    }, "slowloris");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
