package io.edgeray.tls;

import static io.edgeray.tls.RawH2.CONTINUATION;
import static io.edgeray.tls.RawH2.HEADERS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.H2Client;
import io.netty.handler.codec.http2.Http2Error;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, HTTP/2 abuse: the request-head timeout applies to HTTP/2 visitors (here 2 s instead of
 * 10 s), and the known floods are cut by Netty's own limits while the edge keeps serving other
 * visitors. Every load loop is bounded in frames and in time.
 */
class Http2AbuseTest {
  private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(2);
  private static final long FLOOD_MILLIS = 20_000;

  @RegisterExtension static final EdgeExtension edge = EdgeExtension.create().node("ABU").https().perClass()
      .extra("limits: { request_head_timeout: " + HEAD_TIMEOUT.toMillis() + "ms }\n");
  @TempDir static Path dir;
  static H2Stage stage;

  @BeforeAll
  static void start() throws Exception {
    stage = H2Stage.start(edge, dir);
  }

  @AfterAll
  static void stop() throws IOException {
    if (stage != null) stage.close();
  }

  // ---- the request-head timeout ---------------------------------------------------------------

  @Test
  void aConnectionThatNeverSendsARequestIsClosedAfterTheHeadTimeoutWithoutALogLine() throws Exception {
    H2Log log = stage.mark();
    try (RawH2 c = stage.connect()) {
      RawH2.Frame goAway = c.await(HEAD_TIMEOUT.plusSeconds(5), "GOAWAY", f -> f.type() == RawH2.GOAWAY);
      assertThat(goAway.error()).isEqualTo(Http2Error.NO_ERROR);
      assertThat(goAway.debugData()).contains("no request");
      c.awaitClosed(Duration.ofSeconds(5));
    }
    assertThat(lines(log)).isEmpty();
  }

  @Test
  void aConnectionThatNeverSendsThePrefaceIsClosedAfterTheHeadTimeout() throws Exception {
    try (RawH2 c = stage.connect(false, 0)) {
      c.awaitClosed(HEAD_TIMEOUT.plusSeconds(5));
    }
  }

  @Test
  void aHeaderBlockThatNeverCompletesGetsGoAwayAndOne408LogLine() throws Exception {
    H2Log log = stage.mark();
    try (RawH2 c = stage.connect()) {
      c.frame(HEADERS, 0, 1, RawH2.block(":method", "GET", ":scheme", "https")); // no END_HEADERS, no CONTINUATION
      RawH2.Frame goAway = c.await(HEAD_TIMEOUT.plusSeconds(5), "GOAWAY", f -> f.type() == RawH2.GOAWAY);
      assertThat(goAway.error()).isEqualTo(Http2Error.NO_ERROR);
      c.awaitClosed(Duration.ofSeconds(5));
    }
    List<JsonNode> lines = lines(log);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).get("status").asInt()).isEqualTo(408);
    assertThat(lines.get(0).get("failure").asText()).isEqualTo("REQUEST_TIMEOUT");
    assertThat(lines.get(0).get("detail").asText()).contains("header block of stream 1 not complete");
  }

  @Test
  void aSecondRequestWhoseHeaderBlockNeverCompletesIsCutTooAfterTheFirstIsAnswered() throws Exception {
    try (RawH2 c = stage.connect()) {
      c.request(1, true, "GET", "shop.test", "/first");
      assertThat(H2Stage.status(c.awaitHeaders(1))).isEqualTo("200");
      c.frame(HEADERS, 0, 3, RawH2.block(":method", "GET"));
      RawH2.Frame goAway = c.await(HEAD_TIMEOUT.plusSeconds(5), "GOAWAY", f -> f.type() == RawH2.GOAWAY);
      assertThat(goAway.debugData()).contains("stream 3");
      c.awaitClosed(Duration.ofSeconds(5));
    }
  }

  @Test
  void aConnectionIdleBetweenRequestsLongerThanTheHeadTimeoutIsKept() throws Exception {
    try (RawH2 c = stage.connect()) {
      c.request(1, true, "GET", "shop.test", "/before-idle");
      assertThat(H2Stage.status(c.awaitHeaders(1))).isEqualTo("200");
      Thread.sleep(HEAD_TIMEOUT.toMillis() * 3 / 2); // proving an absence: nothing may happen meanwhile
      c.request(3, true, "GET", "shop.test", "/after-idle");
      assertThat(H2Stage.status(c.awaitHeaders(3))).isEqualTo("200");
    }
  }

  // ---- floods ---------------------------------------------------------------------------------

  @Test
  void rapidResetIsCutWithEnhanceYourCalmWhileOthersAreServed() throws Exception {
    H2Log log = stage.mark();
    try (RawH2 c = stage.connect()) {
      int sent = 0;
      long deadline = System.currentTimeMillis() + FLOOD_MILLIS;
      try {
        for (int stream = 1; stream < 2 * 1000 && !c.closed && System.currentTimeMillis() < deadline; stream += 2) {
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          b.writeBytes(RawH2.frameBytes(HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, stream, RawH2.block(":method", "GET",
              ":scheme", "https", ":authority", "shop.test", ":path", "/rapid-reset")));
          b.writeBytes(RawH2.frameBytes(RawH2.RST_STREAM, 0, stream, RawH2.int32(Http2Error.CANCEL.code())));
          c.raw(b.toByteArray());
          sent++;
          if (sent == Http2Pipeline.MAX_RST_PER_WINDOW / 2) assertOthersAreServed();
        }
      } catch (IOException closedByTheEdge) {
        // expected once the edge has had enough
      }
      assertThat(c.awaitGoAway().error()).isEqualTo(Http2Error.ENHANCE_YOUR_CALM);
    }
    // the client may have written all 1000 before the edge's answer came; the edge proxied at most
    // its limit of them and the one whose reset went over it (a stream reset before its request
    // was read is not even begun)
    long proxied = lines(log).stream().filter(l -> l.path("path").asText().equals("/rapid-reset")).count();
    assertThat(proxied).isLessThanOrEqualTo(Http2Pipeline.MAX_RST_PER_WINDOW + 1);
    assertOthersAreServed();
  }

  @Test
  void aPingFloodFromAVisitorThatDoesNotReadIsCutWhileOthersAreServed() throws Exception {
    controlFrameFlood(RawH2.frameBytes(RawH2.PING, 0, 0, new byte[8]));
  }

  @Test
  void aSettingsFloodFromAVisitorThatDoesNotReadIsCutWhileOthersAreServed() throws Exception {
    controlFrameFlood(RawH2.frameBytes(RawH2.SETTINGS, 0, 0, new byte[] {0, 0x3, 0, 0, 0, 100}));
  }

  /**
   * Each PING or SETTINGS makes the edge queue an ack. A visitor that never reads gets the
   * connection closed once more than the control-frame limit is waiting (after the socket buffers
   * are full), instead of the edge holding every ack in memory. Up to eight million frames, 30 s.
   */
  private void controlFrameFlood(byte[] frame) throws Exception {
    H2Log log = stage.mark();
    int perBatch = 2_000;
    int maxBatches = 4_000; // eight million frames at most; the edge has cut after one to two million
    byte[] batch = new byte[frame.length * perBatch];
    for (int i = 0; i < perBatch; i++) System.arraycopy(frame, 0, batch, i * frame.length, frame.length);
    try (RawH2 c = stage.connect(true, 4096)) {
      // a request in flight first (its origin never answers), so the head timeout has no part in this
      c.request(1, true, "GET", "slow.test", "/waiting");
      c.pauseReading();
      long deadline = System.currentTimeMillis() + 30_000;
      int batches = 0;
      boolean cut = false;
      try {
        for (; batches < maxBatches && System.currentTimeMillis() < deadline; batches++) {
          c.raw(batch);
          if (batches == 5) assertOthersAreServed();
        }
      } catch (IOException closedByTheEdge) {
        cut = true;
      }
      c.resumeReading();
      if (!cut) c.awaitClosed(Duration.ofSeconds(10));
      assertThat(batches).as("batches of %d frames sent before the edge closed", perBatch).isLessThan(maxBatches);
    }
    List<JsonNode> goAway = lines(log).stream().filter(l -> l.path("detail").asText().contains("GOAWAY")).toList();
    assertThat(goAway).hasSize(1);
    assertThat(goAway.get(0).get("detail").asText()).contains("ENHANCE_YOUR_CALM").contains("control frames");
  }

  @Test
  void emptyDataFramesWithoutEndStreamAreCutWithEnhanceYourCalm() throws Exception {
    try (RawH2 c = stage.connect()) {
      c.request(1, false, "POST", "slow.test", "/empty-data");
      for (int i = 0; i < 10 && !c.closed; i++) c.data(1, false, new byte[0]);
      assertThat(c.awaitGoAway().error()).isEqualTo(Http2Error.ENHANCE_YOUR_CALM);
    }
    assertOthersAreServed();
  }

  @Test
  void continuationFramesWithoutEndAreCutAtTheHeaderListLimitWhileOthersAreServed() throws Exception {
    H2Log log = stage.mark();
    try (RawH2 c = stage.connect()) {
      c.frame(HEADERS, 0, 1, RawH2.block(":method", "GET", ":scheme", "https", ":authority", "shop.test", ":path", "/cont"));
      byte[] kib = RawH2.block("x-pad", "a".repeat(9000)); // not small: the header list limit cuts these
      long deadline = System.currentTimeMillis() + FLOOD_MILLIS;
      int sent = 0;
      try {
        for (; sent < 1000 && !c.closed && System.currentTimeMillis() < deadline; sent++) { // at most 9 MB
          c.frame(CONTINUATION, 0, 1, kib);
          if (sent == 4) assertOthersAreServed();
        }
      } catch (IOException closedByTheEdge) {
        // expected
      }
      RawH2.Frame goAway = c.awaitGoAway();
      assertThat(goAway.error()).isIn(Http2Error.ENHANCE_YOUR_CALM, Http2Error.PROTOCOL_ERROR);
      assertThat(goAway.debugData()).contains("Header size exceeded");
    }
    assertThat(lines(log)).hasSize(1);
  }

  @Test
  void emptyContinuationFramesAreCutWhileOthersAreServed() throws Exception {
    try (RawH2 c = stage.connect()) {
      c.frame(HEADERS, 0, 1, RawH2.block(":method", "GET", ":scheme", "https"));
      try {
        for (int i = 0; i < 1000 && !c.closed; i++) c.frame(CONTINUATION, 0, 1, new byte[0]);
      } catch (IOException closedByTheEdge) {
        // expected
      }
      assertThat(c.awaitGoAway().error()).isIn(Http2Error.ENHANCE_YOUR_CALM, Http2Error.PROTOCOL_ERROR);
    }
    assertOthersAreServed();
  }

  @Test
  void aHeaderListOverTheLimitGets431() throws Exception {
    H2Log log = stage.mark();
    try (RawH2 c = stage.connect()) {
      // 130 KiB: over limits.request_head (128 KiB), under the size at which Netty ends the connection
      String[] pairs = new String[8 + 2 * 130];
      String[] pseudo = {":method", "GET", ":scheme", "https", ":authority", "shop.test", ":path", "/too-large"};
      System.arraycopy(pseudo, 0, pairs, 0, 8);
      for (int i = 0; i < 130; i++) {
        pairs[8 + 2 * i] = "x-big-" + i;
        pairs[9 + 2 * i] = "b".repeat(1000);
      }
      byte[] block = RawH2.block(pairs);
      int first = 16_000;
      c.frame(HEADERS, RawH2.END_STREAM, 1, java.util.Arrays.copyOfRange(block, 0, first));
      for (int at = first; at < block.length; at += 16_000) {
        int end = Math.min(block.length, at + 16_000);
        c.frame(CONTINUATION, end == block.length ? RawH2.END_HEADERS : 0, 1, java.util.Arrays.copyOfRange(block, at, end));
      }
      RawH2.Frame answer = c.awaitHeaders(1);
      assertThat(answer.headers()).as("%s", answer).isNotNull();
      assertThat(answer.headers().status().toString()).isEqualTo("431");
    }
    List<JsonNode> lines = lines(log);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).get("status").asInt()).isEqualTo(431);
  }


  // ---- helpers --------------------------------------------------------------------------------



  /** Another visitor, on its own connection, gets its answer. */
  static void assertOthersAreServed() throws Exception {
    try (H2Client h2 = stage.client()) {
      assertThat(h2.send("GET", "shop.test", "/someone-else", null).status()).isEqualTo(200);
    }
  }


  /** The scenario's lines, but for those of the other visitors served meanwhile. */
  static List<JsonNode> lines(H2Log log) throws Exception {
    return stage.lines(log).stream().filter(l -> !l.path("path").asText().equals("/someone-else")).toList();
  }

}
