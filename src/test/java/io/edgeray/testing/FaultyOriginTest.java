package io.edgeray.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultyOriginTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GET = "GET /x?y=1 HTTP/1.1\r\nHost: o.test\r\n\r\n";

  private FaultyOrigin origin;

  @BeforeEach
  void start() throws IOException {
    origin = FaultyOrigin.start();
  }

  @AfterEach
  void stop() {
    origin.close();
  }

  private RawExchange connect() throws IOException {
    return new RawExchange(origin.address());
  }

  @Test
  void okEchoesTheRequestAndRecordsHeadersInOrderWithDuplicates() throws IOException {
    try (RawExchange c = connect()) {
      RawExchange.Response r = c.send("GET /echo?a=b HTTP/1.1\r\nHost: o.test\r\nX-Forwarded-For: 1.1.1.1\r\n"
          + "Via: 1.1 edge\r\nX-Forwarded-For: 2.2.2.2\r\n\r\n").readResponse();
      assertThat(r.status()).isEqualTo(200);
      JsonNode echo = JSON.readTree(r.body());
      assertThat(echo.get("method").asText()).isEqualTo("GET");
      assertThat(echo.get("path").asText()).isEqualTo("/echo?a=b");
      assertThat(echo.get("headers").toString())
          .isEqualTo("[[\"Host\",\"o.test\"],[\"X-Forwarded-For\",\"1.1.1.1\"],[\"Via\",\"1.1 edge\"],[\"X-Forwarded-For\",\"2.2.2.2\"]]");

      ReceivedRequest got = origin.awaitRequests(1, Duration.ofSeconds(2)).get(0);
      assertThat(got.method()).isEqualTo("GET");
      assertThat(got.uri()).isEqualTo("/echo?a=b");
      assertThat(got.headerValues("x-forwarded-for")).containsExactly("1.1.1.1", "2.2.2.2");
      assertThat(got.bodyBytes()).isZero();
      assertThat(got.remote().getPort()).isEqualTo(c.socket.getLocalPort());
    }
  }

  @Test
  void okKeepsTheConnectionAliveForTheNextRequest() throws IOException {
    try (RawExchange c = connect()) {
      c.send(GET).readResponse();
      c.send("POST /echo HTTP/1.1\r\nHost: o.test\r\nContent-Length: 5\r\n\r\nhello").readResponse();
      assertThat(origin.connectionsAccepted()).isEqualTo(1);
      List<ReceivedRequest> both = origin.requests();
      assertThat(both).extracting(ReceivedRequest::connection).containsExactly(1, 1);
      assertThat(both.get(1).bodyBytes()).isEqualTo(5);
    }
  }

  @Test
  void statusAnswersTheConfiguredCodeAndStaysAlive() throws IOException {
    origin.fault(Fault.STATUS).statusCode(504);
    try (RawExchange c = connect()) {
      RawExchange.Response r = c.send(GET).readResponse();
      assertThat(r.head()).startsWith("HTTP/1.1 504 Gateway Timeout\r\n");
      assertThat(r.bodyText()).isEqualTo("origin answered 504\n");
      assertThat(c.send(GET).readResponse().status()).isEqualTo(504);
    }
  }

  @Test
  void closeOnAcceptSendsFinWithoutAByte() throws IOException {
    origin.fault(Fault.CLOSE_ON_ACCEPT);
    try (RawExchange c = connect()) {
      assertThat(c.in.read()).isEqualTo(-1);
    }
    assertThat(origin.requests()).isEmpty();
  }

  @Test
  void resetOnAcceptSendsRst() throws IOException {
    origin.fault(Fault.RESET_ON_ACCEPT);
    // the reset can arrive while the client is still finishing connect(), or at its first read
    assertThatThrownBy(() -> {
      try (RawExchange c = connect()) {
        c.in.read();
      }
    }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
  }

  @Test
  void closeAfterRequestReadsTheHeadThenSendsFin() throws IOException {
    origin.fault(Fault.CLOSE_AFTER_REQUEST);
    try (RawExchange c = connect()) {
      assertThat(c.send(GET).readToEnd()).isEmpty();
    }
    assertThat(origin.requests()).singleElement().satisfies(r -> assertThat(r.bodyBytes()).isEqualTo(-1));
  }

  @Test
  void garbageHeadWritesExactlyTheGarbageThenFin() throws IOException {
    origin.fault(Fault.GARBAGE_HEAD);
    try (RawExchange c = connect()) {
      assertThat(new String(c.send(GET).readToEnd(), StandardCharsets.US_ASCII))
          .isEqualTo("HELLO\r\nthis is not http\r\n\r\n");
    }
  }

  @Test
  void oversizedHeadWritesTwoHundredKibOfHeaders() throws IOException {
    origin.fault(Fault.OVERSIZED_HEAD);
    try (RawExchange c = connect()) {
      byte[] got = c.send(GET).readToEnd();
      assertThat(got).isEqualTo(FaultBytes.oversizedHead());
      String head = new String(got, StandardCharsets.US_ASCII);
      assertThat(head).startsWith("HTTP/1.1 200 OK\r\nX-Filler-000: aaa").endsWith("\r\nContent-Length: 0\r\n\r\n");
      assertThat(got.length).isGreaterThan(200 * 1024);
    }
  }

  @Test
  void neverAnswerReadsTheRequestAndStaysSilentAndOpen() throws IOException {
    origin.fault(Fault.NEVER_ANSWER);
    try (RawExchange c = connect()) {
      c.send("POST /slow HTTP/1.1\r\nHost: o.test\r\nContent-Length: 3\r\n\r\nabc");
      origin.awaitRequests(1, Duration.ofSeconds(2));
      c.socket.setSoTimeout(200);
      assertThatThrownBy(() -> c.in.read()).isInstanceOf(SocketTimeoutException.class);
    }
    assertThat(origin.requests().get(0).bodyBytes()).isEqualTo(3);
  }

  @Test
  void resetMidBodyPromisesMoreThanItSendsThenRsts() throws IOException {
    origin.fault(Fault.RESET_MID_BODY);
    try (RawExchange c = connect()) {
      c.send(GET);
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      assertThatThrownBy(() -> {
        for (int r = c.in.read(buf); r >= 0; r = c.in.read(buf)) got.write(buf, 0, r);
      }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
      assertThat(got.toByteArray()).isEqualTo(FaultBytes.resetMidBodyPrefix());
      assertThat(got.toString(StandardCharsets.ISO_8859_1)).contains("Content-Length: 100000\r\n");
    }
  }

  @Test
  void slowHeadAnswersOnlyAfterTheDelay() throws IOException {
    origin.fault(Fault.SLOW_HEAD).slowHeadDelay(Duration.ofMillis(300));
    try (RawExchange c = connect()) {
      long start = System.nanoTime();
      assertThat(c.send(GET).readResponse().status()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
  }

  @Test
  void switchingTheFaultChangesWhatAPooledConnectionDoesNext() throws IOException {
    try (RawExchange c = connect()) {
      assertThat(c.send(GET).readResponse().status()).isEqualTo(200);
      origin.fault(Fault.CLOSE_AFTER_REQUEST);
      assertThat(c.send(GET).readToEnd()).isEmpty();
    }
    assertThat(origin.connectionsAccepted()).isEqualTo(1);
  }

  @Test
  void bytesStreamsTheCountedPatternWithContentLength() throws IOException {
    long n = 64L * 1024 * 1024 + 7;
    try (RawExchange c = connect()) {
      String head = c.send("GET /bytes/" + n + " HTTP/1.1\r\nHost: o.test\r\n\r\n").readHead();
      assertThat(head).contains("Content-Length: " + n);
      assertThat(readPatternChecked(c.in, n)).isEqualTo(n);
      assertThat(c.send(GET).readResponse().status()).as("still alive after the stream").isEqualTo(200);
    }
  }

  @Test
  void sinkCountsChunkedAndContentLengthBodies() throws IOException {
    try (RawExchange c = connect()) {
      c.send("POST /sink HTTP/1.1\r\nHost: o.test\r\nTransfer-Encoding: chunked\r\n\r\n");
      byte[] chunk = new byte[1 << 20];
      for (int i = 0; i < 32; i++) {
        c.send(Integer.toHexString(chunk.length) + ";ext=1\r\n");
        c.out.write(chunk);
        c.send("\r\n");
      }
      c.send("0\r\nX-Trailer: t\r\n\r\n");
      assertThat(c.readResponse().bodyText()).isEqualTo("{\"received\":33554432}");

      c.send("POST /sink HTTP/1.1\r\nHost: o.test\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
      assertThat(c.readHead()).isEqualTo("HTTP/1.1 100 Continue");
      c.send("abc");
      assertThat(c.readResponse().bodyText()).isEqualTo("{\"received\":3}");
    }
  }

  @Test
  void closeEndsIdleAndSilentConnections() throws IOException {
    origin.fault(Fault.NEVER_ANSWER);
    try (RawExchange c = connect()) {
      c.send(GET);
      origin.awaitRequests(1, Duration.ofSeconds(2));
      origin.close();
      assertThat(c.in.read()).isEqualTo(-1);
    }
  }

  private static long readPatternChecked(InputStream in, long n) throws IOException {
    byte[] buf = new byte[64 * 1024];
    byte[] expected = new byte[buf.length];
    long offset = 0;
    while (offset < n) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n - offset));
      if (r < 0) break;
      BytePattern.fill(expected, offset);
      for (int i = 0; i < r; i++) {
        if (buf[i] != expected[i]) throw new AssertionError("byte " + (offset + i) + " is off the pattern");
      }
      offset += r;
    }
    return offset;
  }
}
