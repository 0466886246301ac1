package io.edgeray.tls;

import static io.edgeray.tls.RawH2.DATA;
import static io.edgeray.tls.RawH2.GOAWAY;
import static io.edgeray.tls.RawH2.HEADERS;
import static io.edgeray.tls.RawH2.PRIORITY;
import static io.edgeray.tls.RawH2.RST_STREAM;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.H2Client;
import io.netty.handler.codec.http2.Http2Error;
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
 * Issue 17, HTTP/2: a malformed stream or frame gets the error RFC 9113 names, as a stream error
 * (RST_STREAM on that stream) or a connection error (GOAWAY, then close) as it says, and every
 * malformed request ends in exactly one access-log line; never a hang.
 */
class Http2MalformedRequestTest {
  @RegisterExtension static final EdgeExtension edge = EdgeExtension.create().node("MAL").https().perClass();
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

  // ---- the cases issue 17 saw ----------------------------------------------------------------

  @Test
  void requestWithoutMethodGetsProtocolErrorAndOneLogLine() throws Exception {
    H2Log log = stage.mark();
    try (RawH2 c = stage.connect()) {
      c.headers(1, true, ":scheme", "https", ":authority", "shop.test", ":path", "/no-method", "user-agent", "ua-no-method");
      assertReset(c, 1, Http2Error.PROTOCOL_ERROR);
    }
    JsonNode line = oneLine(log);
    assertThat(line.get("status").asInt()).isEqualTo(400);
    assertThat(line.get("path").asText()).isEqualTo("/no-method");
    assertThat(line.get("user_agent").asText()).isEqualTo("ua-no-method");
    assertThat(line.get("detail").asText()).contains("PROTOCOL_ERROR").contains(":method");
  }

  @Test
  void requestWithoutSchemeIsNotProxiedButResetWithProtocolError() throws Exception {
    H2Log log = stage.mark();
    try (RawH2 c = stage.connect()) {
      c.headers(1, true, ":method", "GET", ":authority", "shop.test", ":path", "/no-scheme");
      assertReset(c, 1, Http2Error.PROTOCOL_ERROR);
    }
    JsonNode line = oneLine(log);
    assertThat(line.get("detail").asText()).contains(":scheme");
    assertThat(line.get("origin_addr").isNull()).isTrue();
  }

  @Test
  void requestWithoutPathGetsProtocolError() throws Exception {
    H2Log log = stage.mark();
    try (RawH2 c = stage.connect()) {
      c.headers(1, true, ":method", "GET", ":scheme", "https", ":authority", "shop.test");
      assertReset(c, 1, Http2Error.PROTOCOL_ERROR);
    }
    assertThat(oneLine(log).get("detail").asText()).contains(":path");
  }

  @Test
  void requestWithAnEmptyPathGetsProtocolError() throws Exception {
    H2Log log = stage.mark();
    try (RawH2 c = stage.connect()) {
      c.headers(1, true, ":method", "GET", ":scheme", "https", ":authority", "shop.test", ":path", "");
      assertReset(c, 1, Http2Error.PROTOCOL_ERROR);
    }
    oneLine(log);
  }

  @Test
  void moreDataThanTheContentLengthGetsProtocolError() throws Exception {
    H2Log log = stage.mark();
    try (RawH2 c = stage.connect()) {
      c.request(1, false, "POST", "shop.test", "/cl-more", "content-length", "3");
      c.data(1, true, "four".getBytes());
      assertReset(c, 1, Http2Error.PROTOCOL_ERROR);
    }
    oneLine(log);
  }

  @Test
  void lessDataThanTheContentLengthGetsProtocolError() throws Exception {
    H2Log log = stage.mark();
    try (RawH2 c = stage.connect()) {
      c.request(1, false, "POST", "shop.test", "/cl-less", "content-length", "10");
      c.data(1, true, "four".getBytes());
      assertReset(c, 1, Http2Error.PROTOCOL_ERROR);
    }
    oneLine(log);
  }

  @Test
  void pseudoHeaderInTrailersGetsProtocolError() throws Exception {
    H2Log log = stage.mark();
    try (RawH2 c = stage.connect()) {
      c.request(1, false, "POST", "slow.test", "/trailer-pseudo");
      c.data(1, false, "body".getBytes());
      c.headers(1, true, ":path", "/other", "x-trailer", "1");
      assertReset(c, 1, Http2Error.PROTOCOL_ERROR);
    }
    oneLine(log);
  }

  @Test
  void secondHeadersWithoutEndStreamGetsProtocolError() throws Exception {
    H2Log log = stage.mark();
    try (RawH2 c = stage.connect()) {
      c.request(1, false, "POST", "slow.test", "/second-headers");
      c.headers(1, false, "x-more", "1");
      assertReset(c, 1, Http2Error.PROTOCOL_ERROR);
    }
    oneLine(log);
  }

  @Test
  void priorityFrameOfWrongLengthOnAnOpenStreamGetsFrameSizeError() throws Exception {
    H2Log log = stage.mark();
    try (RawH2 c = stage.connect()) {
      c.request(1, false, "POST", "slow.test", "/priority-length");
      c.frame(PRIORITY, 0, 1, new byte[4]);
      assertReset(c, 1, Http2Error.FRAME_SIZE_ERROR);
    }
    oneLine(log);
  }

  @Test
  void priorityFrameOfWrongLengthOnAnIdleStreamGetsFrameSizeErrorAndTheConnectionServesOn() throws Exception {
    try (RawH2 c = stage.connect()) {
      c.frame(PRIORITY, 0, 3, new byte[6]);
      assertReset(c, 3, Http2Error.FRAME_SIZE_ERROR);
      c.request(5, true, "GET", "shop.test", "/after-priority");
      assertThat(H2Stage.status(c.awaitHeaders(5))).isEqualTo("200");
    }
  }

  @Test
  void windowUpdateWithIncrementZeroOnAStreamGetsProtocolError() throws Exception {
    H2Log log = stage.mark();
    try (RawH2 c = stage.connect()) {
      c.request(1, false, "POST", "slow.test", "/window-zero");
      c.windowUpdate(1, 0);
      assertReset(c, 1, Http2Error.PROTOCOL_ERROR);
    }
    oneLine(log);
  }

  @Test
  void windowUpdateWithIncrementZeroOnTheConnectionGetsGoAwayProtocolError() throws Exception {
    H2Log log = stage.mark();
    try (RawH2 c = stage.connect()) {
      c.windowUpdate(0, 0);
      assertGoAway(c, Http2Error.PROTOCOL_ERROR);
    }
    assertThat(oneLine(log).get("detail").asText()).contains("GOAWAY PROTOCOL_ERROR");
  }

  @Test
  void aStreamWindowAbove2To31Minus1GetsFlowControlError() throws Exception {
    H2Log log = stage.mark();
    try (RawH2 c = stage.connect()) {
      c.request(1, false, "POST", "slow.test", "/window-overflow");
      c.windowUpdate(1, Integer.MAX_VALUE);
      assertReset(c, 1, Http2Error.FLOW_CONTROL_ERROR);
    }
    oneLine(log);
  }

  @Test
  void theConnectionWindowAbove2To31Minus1GetsGoAwayFlowControlError() throws Exception {
    try (RawH2 c = stage.connect()) {
      c.windowUpdate(0, Integer.MAX_VALUE);
      assertGoAway(c, Http2Error.FLOW_CONTROL_ERROR);
    }
  }

  @Test
  void anInitialWindowSizeAbove2To31Minus1GetsGoAwayFlowControlError() throws Exception {
    try (RawH2 c = stage.connect()) {
      c.settings(0x4, 0x80000000L);
      assertGoAway(c, Http2Error.FLOW_CONTROL_ERROR);
    }
  }

  @Test
  void dataOnAHalfClosedStreamGetsStreamClosed() throws Exception {
    H2Log log = stage.mark();
    try (RawH2 c = stage.connect()) {
      c.request(1, true, "GET", "slow.test", "/half-closed"); // the origin never answers: the stream stays half-closed
      c.data(1, false, "late".getBytes());
      assertReset(c, 1, Http2Error.STREAM_CLOSED);
    }
    oneLine(log);
  }

  @Test
  void dataOnAClosedStreamEndsTheConnectionWithStreamClosed() throws Exception {
    H2Log log = stage.mark();
    try (RawH2 c = stage.connect()) {
      c.request(1, true, "GET", "shop.test", "/closed-data");
      c.await(Duration.ofSeconds(10), "the end of the response", f -> f.stream() == 1 && (f.flags() & RawH2.END_STREAM) != 0);
      c.data(1, false, "late".getBytes());
      assertGoAway(c, Http2Error.STREAM_CLOSED);
    }
    List<JsonNode> lines = stage.lines(log);
    assertThat(lines).hasSize(2); // the request, answered 200, and the connection error
    assertThat(lines.get(0).get("status").asInt()).isEqualTo(200);
    assertThat(lines.get(1).get("detail").asText()).contains("GOAWAY STREAM_CLOSED");
  }

  @Test
  void headersOnAClosedStreamEndsTheConnectionWithStreamClosed() throws Exception {
    try (RawH2 c = stage.connect()) {
      c.request(1, true, "GET", "shop.test", "/closed-headers");
      c.await(Duration.ofSeconds(10), "the end of the response", f -> f.stream() == 1 && (f.flags() & RawH2.END_STREAM) != 0);
      c.request(1, true, "GET", "shop.test", "/closed-headers-again");
      assertGoAway(c, Http2Error.STREAM_CLOSED);
    }
  }

  @Test
  void headersOnAStreamTheVisitorResetEndsTheConnectionWithStreamClosed() throws Exception {
    try (RawH2 c = stage.connect()) {
      c.request(1, false, "POST", "slow.test", "/reset-then-headers");
      c.rst(1, Http2Error.CANCEL);
      c.request(3, true, "GET", "shop.test", "/between");
      c.awaitHeaders(3);
      c.request(1, true, "GET", "shop.test", "/reset-then-headers-again");
      assertGoAway(c, Http2Error.STREAM_CLOSED);
    }
  }

  @Test
  void aStreamIdSmallerThanAPreviousOneEndsTheConnectionWithProtocolError() throws Exception {
    try (RawH2 c = stage.connect()) {
      c.request(5, true, "GET", "shop.test", "/stream-5");
      c.awaitHeaders(5);
      c.request(3, true, "GET", "shop.test", "/stream-3");
      assertGoAway(c, Http2Error.PROTOCOL_ERROR);
    }
  }


  // ---- helpers --------------------------------------------------------------------------------



  static void assertReset(RawH2 c, int stream, Http2Error error) throws InterruptedException {
    RawH2.Frame f = c.awaitReset(stream);
    assertThat(f.type()).as("%s", f).isEqualTo(RST_STREAM);
    assertThat(f.error()).as("%s", f).isEqualTo(error);
  }

  static void assertGoAway(RawH2 c, Http2Error error) throws InterruptedException {
    RawH2.Frame f = c.awaitGoAway();
    assertThat(f.error()).as("%s", f).isEqualTo(error);
    c.awaitClosed(Duration.ofSeconds(5));
  }




  /** The scenario's one line; fails when there is none or more than one. */
  static JsonNode oneLine(H2Log log) throws Exception {
    List<JsonNode> lines = stage.lines(log);
    assertThat(lines).as("the log lines of one malformed request").hasSize(1);
    return lines.get(0);
  }

  static final int UNUSED = DATA + HEADERS + GOAWAY; // keep the static imports honest
}
