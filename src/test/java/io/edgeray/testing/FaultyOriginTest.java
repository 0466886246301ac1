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

  private RawClient connect() throws IOException {
    return RawClient.connect(origin.address());
  }

  @Test
  void okEchoesTheRequestAndRecordsHeadersInOrderWithDuplicates() throws IOException {
    try (RawClient c = connect()) {
      RawClient.Response r = c.send("GET /echo?a=b HTTP/1.1\r\nHost: o.test\r\nX-Forwarded-For: 1.1.1.1\r\n"
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
      assertThat(got.remote().getPort()).isEqualTo(c.socket().getLocalPort());
    }
  }

  @Test
  void okKeepsTheConnectionAliveForTheNextRequest() throws IOException {
    try (RawClient c = connect()) {
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
    try (RawClient c = connect()) {
      RawClient.Response r = c.send(GET).readResponse();
      assertThat(r.head()).startsWith("HTTP/1.1 504 Gateway Timeout\r\n");
      assertThat(r.body()).isEqualTo("origin answered 504\n");
      assertThat(c.send(GET).readResponse().status()).isEqualTo(504);
    }
  }

  @Test
  void closeOnAcceptSendsFinWithoutAByte() throws IOException {
    origin.fault(Fault.CLOSE_ON_ACCEPT);
    try (RawClient c = connect()) {
      assertThat(c.in().read()).isEqualTo(-1);
    }
    assertThat(origin.requests()).isEmpty();
  }

  @Test
  void resetOnAcceptSendsRst() throws IOException {
    origin.fault(Fault.RESET_ON_ACCEPT);
    // the reset can arrive while the client is still finishing connect(), or at its first read
    assertThatThrownBy(() -> {
      try (RawClient c = connect()) {
        c.in().read();
      }
    }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
  }

  @Test
  void closeAfterRequestReadsTheHeadThenSendsFin() throws IOException {
    origin.fault(Fault.CLOSE_AFTER_REQUEST);
    try (RawClient c = connect()) {
      assertThat(c.send(GET).readToEnd()).isEmpty();
    }
    assertThat(origin.requests()).singleElement().satisfies(r -> assertThat(r.bodyBytes()).isEqualTo(-1));
  }

  @Test
  void garbageHeadWritesExactlyTheGarbageThenFin() throws IOException {
    origin.fault(Fault.GARBAGE_HEAD);
    try (RawClient c = connect()) {
      assertThat(new String(c.send(GET).readToEnd(), StandardCharsets.US_ASCII))
          .isEqualTo("HELLO\r\nthis is not http\r\n\r\n");
    }
  }

  @Test
  void oversizedHeadWritesTwoHundredKibOfHeaders() throws IOException {
    origin.fault(Fault.OVERSIZED_HEAD);
    try (RawClient c = connect()) {
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
    try (RawClient c = connect()) {
      c.send("POST /slow HTTP/1.1\r\nHost: o.test\r\nContent-Length: 3\r\n\r\nabc");
      origin.awaitRequests(1, Duration.ofSeconds(2));
      c.socket().setSoTimeout(200);
      assertThatThrownBy(() -> c.in().read()).isInstanceOf(SocketTimeoutException.class);
    }
    assertThat(origin.requests().get(0).bodyBytes()).isEqualTo(3);
  }

  @Test
  void resetMidBodyPromisesMoreThanItSendsThenRsts() throws IOException {
    origin.fault(Fault.RESET_MID_BODY);
    try (RawClient c = connect()) {
      c.send(GET);
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      assertThatThrownBy(() -> {
        for (int r = c.in().read(buf); r >= 0; r = c.in().read(buf)) got.write(buf, 0, r);
      }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
      assertThat(got.toByteArray()).isEqualTo(FaultBytes.resetMidBodyPrefix());
      assertThat(got.toString(StandardCharsets.ISO_8859_1)).contains("Content-Length: 100000\r\n");
    }
  }

  @Test
  void slowHeadAnswersOnlyAfterTheDelay() throws IOException {
    origin.fault(Fault.SLOW_HEAD).slowDelay(Duration.ofMillis(300));
    try (RawClient c = connect()) {
      long start = System.nanoTime();
      assertThat(c.send(GET).readResponse().status()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
  }

  @Test
  void switchingTheFaultChangesWhatAPooledConnectionDoesNext() throws IOException {
    try (RawClient c = connect()) {
      assertThat(c.send(GET).readResponse().status()).isEqualTo(200);
      origin.fault(Fault.CLOSE_AFTER_REQUEST);
      assertThat(c.send(GET).readToEnd()).isEmpty();
    }
    assertThat(origin.connectionsAccepted()).isEqualTo(1);
  }

  @Test
  void bytesStreamsTheCountedPatternWithContentLength() throws IOException {
    long n = 64L * 1024 * 1024 + 7;
    try (RawClient c = connect()) {
      String head = c.send("GET /bytes/" + n + " HTTP/1.1\r\nHost: o.test\r\n\r\n").readHead();
      assertThat(head).contains("Content-Length: " + n);
      assertThat(readPatternChecked(c.in(), n)).isEqualTo(n);
      assertThat(c.send(GET).readResponse().status()).as("still alive after the stream").isEqualTo(200);
    }
  }

  @Test
  void sinkCountsChunkedAndContentLengthBodies() throws IOException {
    try (RawClient c = connect()) {
      c.send("POST /sink HTTP/1.1\r\nHost: o.test\r\nTransfer-Encoding: chunked\r\n\r\n");
      byte[] chunk = new byte[1 << 20];
      for (int i = 0; i < 32; i++) {
        c.send(Integer.toHexString(chunk.length) + ";ext=1\r\n");
        c.out().write(chunk);
        c.send("\r\n");
      }
      c.send("0\r\nX-Trailer: t\r\n\r\n");
      assertThat(c.readResponse().body()).isEqualTo("{\"received\":33554432}");

      c.send("POST /sink HTTP/1.1\r\nHost: o.test\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
      assertThat(c.readHead()).isEqualTo("HTTP/1.1 100 Continue");
      c.send("abc");
      assertThat(c.readResponse().body()).isEqualTo("{\"received\":3}");
    }
  }

  @Test
  void closeEndsIdleAndSilentConnections() throws IOException {
    origin.fault(Fault.NEVER_ANSWER);
    try (RawClient c = connect()) {
      c.send(GET);
      origin.awaitRequests(1, Duration.ofSeconds(2));
      origin.close();
      assertThat(c.in().read()).isEqualTo(-1);
    }
  }

  @Test
  void refuseHoldsAPortWhereNothingListens() throws IOException {
    try (FaultyOrigin refused = FaultyOrigin.start(Fault.REFUSE)) {
      assertThatThrownBy(() -> RawClient.connect(refused.address()).close())
          .isInstanceOf(java.net.ConnectException.class).hasMessageContaining("refused");
      assertThatThrownBy(() -> refused.fault(Fault.OK)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void slowBodySendsTheHeadAtOnceThenOneByteAtATime() throws IOException {
    origin.fault(Fault.SLOW_BODY).slowDelay(Duration.ofMillis(30));
    try (RawClient c = connect()) {
      assertThat(c.send(GET).readHead()).contains("Content-Length: " + FaultBytes.SLOW_BODY_BYTES);
      long start = System.nanoTime();
      byte[] body = c.in().readNBytes(FaultBytes.SLOW_BODY_BYTES);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(30L * (FaultBytes.SLOW_BODY_BYTES - 1)));
      byte[] expected = new byte[FaultBytes.SLOW_BODY_BYTES];
      BytePattern.fill(expected, 0);
      assertThat(body).isEqualTo(expected);
    }
  }

  @Test
  void slowBodyCutSendsPartOfThePromisedBodyOneByteAtATimeThenCloses() throws IOException {
    origin.fault(Fault.SLOW_BODY_CUT).slowDelay(Duration.ofMillis(30));
    try (RawClient c = connect()) {
      assertThat(c.send(GET).readHead()).contains("Content-Length: " + FaultBytes.SLOW_BODY_BYTES);
      byte[] expected = new byte[FaultBytes.SLOW_BODY_CUT_AFTER];
      BytePattern.fill(expected, 0);
      assertThat(c.readToEnd()).isEqualTo(expected);
    }
  }

  @Test
  void keepAliveRaceAnswersOnceThenClosesOnTheNextRequest() throws IOException {
    origin.fault(Fault.KEEP_ALIVE_RACE);
    try (RawClient c = connect()) {
      assertThat(c.send(GET).readResponse().body()).isEqualTo("answered on connection 1");
      assertThat(c.send(GET).readToEnd()).isEmpty();
    }
    assertThat(origin.requests()).extracting(ReceivedRequest::bodyBytes).containsExactly(0L, -1L);
  }

  @Test
  void plainOnTheTlsPortAnswersAClientHelloWith400() throws Exception {
    origin.fault(Fault.PLAIN_ON_TLS_PORT);
    TestPki pki = new TestPki(java.nio.file.Files.createTempDirectory("pki"));
    assertThatThrownBy(() -> RawClient.connectTls(origin.address(), pki.clientContext(), "o.test").close())
        .isInstanceOf(javax.net.ssl.SSLException.class);
    try (RawClient c = connect()) {
      assertThat(new String(c.send(GET).readToEnd(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 400 Bad Request\r\n");
    }
  }

  @Test
  void aTlsOriginEchoesTheSchemeAndTheSniName() throws Exception {
    TestPki pki = new TestPki(java.nio.file.Files.createTempDirectory("pki"));
    try (FaultyOrigin tls = FaultyOrigin.startTls(pki, Fault.OK, "o.test");
        RawClient c = RawClient.connectTls(tls.address(), pki.clientContext(), "o.test")) {
      JsonNode echo = JSON.readTree(c.send(GET).readResponse().body());
      assertThat(echo.get("scheme").asText()).isEqualTo("https");
      assertThat(echo.get("sni").asText()).isEqualTo("o.test");
      tls.summaryEcho("named");
      assertThat(c.send(GET).readResponse().body()).isEqualTo("origin=named scheme=https xfp=null sni=o.test host=o.test bytes=0 ext=[]");
    }
  }

  @Test
  void eachCertificateFaultShowsTheCertificateItNames() throws Exception {
    TestPki pki = new TestPki(java.nio.file.Files.createTempDirectory("pki"));
    for (Fault f : List.of(Fault.EXPIRED_CERTIFICATE, Fault.NOT_YET_VALID_CERTIFICATE, Fault.SELF_SIGNED_CERTIFICATE,
        Fault.WRONG_HOST_CERTIFICATE)) {
      try (FaultyOrigin bad = FaultyOrigin.startTls(pki, f, "o.test")) {
        assertThatThrownBy(() -> RawClient.connectTls(bad.address(), pki.clientContext(), "o.test").close()).as(f.name())
            .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
      }
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
