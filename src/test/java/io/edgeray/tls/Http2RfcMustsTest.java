package io.edgeray.tls;

import static io.edgeray.tls.RawH2.CONTINUATION;
import static io.edgeray.tls.RawH2.DATA;
import static io.edgeray.tls.RawH2.END_HEADERS;
import static io.edgeray.tls.RawH2.END_STREAM;
import static io.edgeray.tls.RawH2.GOAWAY;
import static io.edgeray.tls.RawH2.HEADERS;
import static io.edgeray.tls.RawH2.PADDED;
import static io.edgeray.tls.RawH2.PING;
import static io.edgeray.tls.RawH2.PRIORITY;
import static io.edgeray.tls.RawH2.PRIORITY_FLAG;
import static io.edgeray.tls.RawH2.PUSH_PROMISE;
import static io.edgeray.tls.RawH2.RST_STREAM;
import static io.edgeray.tls.RawH2.SETTINGS;
import static io.edgeray.tls.RawH2.WINDOW_UPDATE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.H2Client;
import io.edgeray.testing.TestPki;
import io.netty.handler.codec.http2.Http2Error;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The MUSTs of RFC 9113 §3 to §8 that a server enforces, one row each: what the visitor sends, and
 * the stream error (RST_STREAM on that stream) or connection error (GOAWAY, then close) the edge
 * must answer with. Each refused request or connection ends in exactly one access-log line, and
 * nothing malformed reaches the origin.
 */
class Http2RfcMustsTest {
  @RegisterExtension static final EdgeExtension edge = EdgeExtension.create().node("RFC").https().perClass();
  @TempDir static Path dir;
  static TestPki pki;
  static FaultyOrigin origin;
  static SSLContext tls;
  static final AtomicInteger sentinels = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    pki = new TestPki(dir.resolve("pki"));
    origin = FaultyOrigin.start();
    int http = origin.port();
    TestPki.Leaf cert = pki.issue(List.of("shop.test"));
    edge.start(zone("shop.test", "ssl: flexible\norigin_ports: { http: " + http + " }\n"
        + cert.yaml()));
    tls = pki.clientContext();
  }

  @AfterAll
  static void stop() {
    if (origin != null) origin.close();
  }

  interface Send {
    void to(RawH2 c) throws Exception;
  }

  /** @param stream the stream of the expected RST_STREAM, or 0 for a connection error (GOAWAY) */
  record Expect(int stream, Http2Error error) {}

  static Expect stream(int id, Http2Error error) {
    return new Expect(id, error);
  }

  static Expect connection(Http2Error error) {
    return new Expect(0, error);
  }

  static Arguments row(String name, Send send, Expect expect) {
    return Arguments.of(name, send, expect);
  }

  /** A GET whose header block is the pseudo-headers of a good request, then {@code more} pairs. */
  static Send get(String... more) {
    String[] all = new String[8 + more.length];
    System.arraycopy(new String[] {":method", "GET", ":scheme", "https", ":authority", "shop.test", ":path", "/rfc"}, 0, all, 0, 8);
    System.arraycopy(more, 0, all, 8, more.length);
    return c -> c.headers(1, true, all);
  }

  static Stream<Arguments> musts() {
    byte[] goodBlock = RawH2.block(":method", "GET", ":scheme", "https", ":authority", "shop.test", ":path", "/rfc");
    return Stream.of(
        // §3.4, §6.5: the preface must be followed by SETTINGS
        row("a first frame that is not SETTINGS is a connection error PROTOCOL_ERROR",
            c -> c.raw(RawH2.PREFACE).frame(PING, 0, 0, new byte[8]), connection(Http2Error.PROTOCOL_ERROR)),
        // §4.2
        row("a HEADERS frame larger than SETTINGS_MAX_FRAME_SIZE is a connection error FRAME_SIZE_ERROR",
            c -> c.frame(HEADERS, END_HEADERS | END_STREAM, 1, new byte[16_385]), connection(Http2Error.FRAME_SIZE_ERROR)),
        // §4.3
        row("a header block that is not valid HPACK is a connection error COMPRESSION_ERROR",
            c -> c.frame(HEADERS, END_HEADERS | END_STREAM, 1, new byte[] {(byte) 0x80}), connection(Http2Error.COMPRESSION_ERROR)),
        // §5.1 idle
        row("DATA on an idle stream is a connection error PROTOCOL_ERROR",
            c -> c.data(3, true, new byte[1]), connection(Http2Error.PROTOCOL_ERROR)),
        row("RST_STREAM on an idle stream is a connection error PROTOCOL_ERROR",
            c -> c.rst(3, Http2Error.CANCEL), connection(Http2Error.PROTOCOL_ERROR)),
        row("WINDOW_UPDATE on an idle stream is a connection error PROTOCOL_ERROR",
            c -> c.windowUpdate(3, 100), connection(Http2Error.PROTOCOL_ERROR)),
        // §5.1.1
        row("a stream opened with an even id is a connection error PROTOCOL_ERROR",
            c -> c.frame(HEADERS, END_HEADERS | END_STREAM, 2, goodBlock), connection(Http2Error.PROTOCOL_ERROR)),
        // §5.5
        row("an unknown frame in the middle of a header block is a connection error PROTOCOL_ERROR",
            c -> c.frame(HEADERS, END_STREAM, 1, goodBlock).frame(0x42, 0, 1, new byte[3]), connection(Http2Error.PROTOCOL_ERROR)),
        // §6.1
        row("DATA on stream 0 is a connection error PROTOCOL_ERROR",
            c -> c.data(0, true, new byte[1]), connection(Http2Error.PROTOCOL_ERROR)),
        row("DATA whose padding is as long as its payload is a connection error PROTOCOL_ERROR",
            c -> c.request(1, false, "POST", "shop.test", "/pad").frame(DATA, PADDED, 1, new byte[] {4, 0, 0, 0}),
            connection(Http2Error.PROTOCOL_ERROR)),
        // §6.2
        row("HEADERS on stream 0 is a connection error PROTOCOL_ERROR",
            c -> c.frame(HEADERS, END_HEADERS | END_STREAM, 0, goodBlock), connection(Http2Error.PROTOCOL_ERROR)),
        row("HEADERS whose padding is longer than its payload is a connection error PROTOCOL_ERROR",
            c -> c.frame(HEADERS, END_HEADERS | END_STREAM | PADDED, 1, concat(new byte[] {(byte) 200}, goodBlock)),
            connection(Http2Error.PROTOCOL_ERROR)),
        // §5.3.1 names a stream error; Netty ends the connection, which §5.4.1 allows
        row("HEADERS that make a stream depend on itself are a connection error PROTOCOL_ERROR",
            c -> c.frame(HEADERS, END_HEADERS | END_STREAM | PRIORITY_FLAG, 1, concat(new byte[] {0, 0, 0, 1, 16}, goodBlock)),
            connection(Http2Error.PROTOCOL_ERROR)),
        // §6.3
        row("PRIORITY on stream 0 is a connection error PROTOCOL_ERROR",
            c -> c.frame(PRIORITY, 0, 0, new byte[] {0, 0, 0, 1, 16}), connection(Http2Error.PROTOCOL_ERROR)),
        row("PRIORITY that makes a stream depend on itself is a stream error PROTOCOL_ERROR",
            c -> c.frame(PRIORITY, 0, 3, new byte[] {0, 0, 0, 3, 16}), stream(3, Http2Error.PROTOCOL_ERROR)),
        // §6.4
        row("RST_STREAM on stream 0 is a connection error PROTOCOL_ERROR",
            c -> c.rst(0, Http2Error.CANCEL), connection(Http2Error.PROTOCOL_ERROR)),
        row("RST_STREAM of 3 bytes is a connection error FRAME_SIZE_ERROR",
            c -> c.request(1, false, "POST", "shop.test", "/rst3").frame(RST_STREAM, 0, 1, new byte[3]),
            connection(Http2Error.FRAME_SIZE_ERROR)),
        // §6.5
        row("SETTINGS on a stream is a connection error PROTOCOL_ERROR",
            c -> c.frame(SETTINGS, 0, 1, new byte[0]), connection(Http2Error.PROTOCOL_ERROR)),
        row("a SETTINGS ack with a payload is a connection error FRAME_SIZE_ERROR",
            c -> c.frame(SETTINGS, RawH2.ACK, 0, new byte[6]), connection(Http2Error.FRAME_SIZE_ERROR)),
        row("SETTINGS whose length is not a multiple of 6 is a connection error FRAME_SIZE_ERROR",
            c -> c.frame(SETTINGS, 0, 0, new byte[5]), connection(Http2Error.FRAME_SIZE_ERROR)),
        row("SETTINGS_ENABLE_PUSH other than 0 or 1 is a connection error PROTOCOL_ERROR",
            c -> c.settings(0x2, 2), connection(Http2Error.PROTOCOL_ERROR)),
        row("SETTINGS_MAX_FRAME_SIZE below 16384 is a connection error PROTOCOL_ERROR",
            c -> c.settings(0x5, 16_383), connection(Http2Error.PROTOCOL_ERROR)),
        row("SETTINGS_MAX_FRAME_SIZE above 2^24-1 is a connection error PROTOCOL_ERROR",
            c -> c.settings(0x5, 1 << 24), connection(Http2Error.PROTOCOL_ERROR)),
        // §6.6, §8.4
        row("PUSH_PROMISE from a client is a connection error PROTOCOL_ERROR",
            c -> c.request(1, false, "POST", "shop.test", "/push").frame(PUSH_PROMISE, END_HEADERS, 1, concat(RawH2.int32(2), goodBlock)),
            connection(Http2Error.PROTOCOL_ERROR)),
        // §6.7
        row("PING on a stream is a connection error PROTOCOL_ERROR",
            c -> c.frame(PING, 0, 1, new byte[8]), connection(Http2Error.PROTOCOL_ERROR)),
        row("PING of 7 bytes is a connection error FRAME_SIZE_ERROR",
            c -> c.frame(PING, 0, 0, new byte[7]), connection(Http2Error.FRAME_SIZE_ERROR)),
        // §6.8
        row("GOAWAY on a stream is a connection error PROTOCOL_ERROR",
            c -> c.frame(GOAWAY, 0, 1, new byte[8]), connection(Http2Error.PROTOCOL_ERROR)),
        // §6.9
        row("WINDOW_UPDATE of 3 bytes is a connection error FRAME_SIZE_ERROR",
            c -> c.frame(WINDOW_UPDATE, 0, 0, new byte[3]), connection(Http2Error.FRAME_SIZE_ERROR)),
        // §6.10
        row("CONTINUATION without HEADERS before it is a connection error PROTOCOL_ERROR",
            c -> c.frame(CONTINUATION, END_HEADERS, 1, goodBlock), connection(Http2Error.PROTOCOL_ERROR)),
        row("CONTINUATION on another stream than its HEADERS is a connection error PROTOCOL_ERROR",
            c -> c.frame(HEADERS, END_STREAM, 1, goodBlock).frame(CONTINUATION, END_HEADERS, 3, new byte[0]),
            connection(Http2Error.PROTOCOL_ERROR)),
        row("CONTINUATION after a header block that ended is a connection error PROTOCOL_ERROR",
            c -> c.request(1, false, "POST", "shop.test", "/after-end").frame(CONTINUATION, END_HEADERS, 1, new byte[0]),
            connection(Http2Error.PROTOCOL_ERROR)),
        // §8.2.1, §8.2.2, §8.3: malformed requests are stream errors PROTOCOL_ERROR
        row("an upper-case field name is a malformed request", get("User-Agent", "x"), stream(1, Http2Error.PROTOCOL_ERROR)),
        row("a field name with a space is a malformed request", get("x y", "1"), stream(1, Http2Error.PROTOCOL_ERROR)),
        row("a field value with CR LF is a malformed request", get("x-a", "1\r\nx-b: 2"), stream(1, Http2Error.PROTOCOL_ERROR)),
        row("a field value with NUL is a malformed request", get("x-a", "1\0"), stream(1, Http2Error.PROTOCOL_ERROR)),
        row("a field value with a leading space is a malformed request", get("x-a", " 1"), stream(1, Http2Error.PROTOCOL_ERROR)),
        row("a field value with a trailing tab is a malformed request", get("x-a", "1\t"), stream(1, Http2Error.PROTOCOL_ERROR)),
        row("a connection header is a malformed request", get("connection", "close"), stream(1, Http2Error.PROTOCOL_ERROR)),
        row("a keep-alive header is a malformed request", get("keep-alive", "5"), stream(1, Http2Error.PROTOCOL_ERROR)),
        row("a proxy-connection header is a malformed request", get("proxy-connection", "x"), stream(1, Http2Error.PROTOCOL_ERROR)),
        row("a transfer-encoding header is a malformed request", get("transfer-encoding", "chunked"), stream(1, Http2Error.PROTOCOL_ERROR)),
        row("an upgrade header is a malformed request", get("upgrade", "websocket"), stream(1, Http2Error.PROTOCOL_ERROR)),
        row("TE other than trailers is a malformed request", get("te", "gzip"), stream(1, Http2Error.PROTOCOL_ERROR)),
        row("a pseudo-header after a regular field is a malformed request", get("x-a", "1", ":foo", "2"), stream(1, Http2Error.PROTOCOL_ERROR)),
        row("an unknown pseudo-header is a malformed request", get(":foo", "1"), stream(1, Http2Error.PROTOCOL_ERROR)),
        row("a response pseudo-header in a request is a malformed request", get(":status", "200"), stream(1, Http2Error.PROTOCOL_ERROR)),
        row("a second :path is a malformed request", get(":path", "/again"), stream(1, Http2Error.PROTOCOL_ERROR)),
        row("a CONNECT without :authority is a malformed request",
            c -> c.headers(1, true, ":method", "CONNECT"), stream(1, Http2Error.PROTOCOL_ERROR)),
        row("a host header that differs from :authority is a malformed request", get("host", "other.test"),
            stream(1, Http2Error.PROTOCOL_ERROR)),
        row("two host headers are a malformed request", get("host", "shop.test", "host", "shop.test"), stream(1, Http2Error.PROTOCOL_ERROR)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("musts")
  void theEdgeAnswersWithTheErrorTheRfcNames(String name, Send send, Expect expect) throws Exception {
    H2Log log = mark();
    boolean preface = !name.startsWith("a first frame");
    try (RawH2 c = new RawH2(edge.httpsPort(), tls, "shop.test", preface)) {
      send.to(c);
      if (expect.stream() == 0) {
        RawH2.Frame f = c.awaitGoAway();
        assertThat(f.error()).as("%s", f).isEqualTo(expect.error());
        c.awaitClosed(Duration.ofSeconds(5));
      } else {
        RawH2.Frame f = c.awaitReset(expect.stream());
        assertThat(f.type()).as("%s", f).isEqualTo(RST_STREAM);
        assertThat(f.error()).as("%s", f).isEqualTo(expect.error());
      }
    }
    List<JsonNode> lines = lines(log);
    List<JsonNode> refusals = lines.stream().filter(l -> l.get("status").asInt() == 400).toList();
    assertThat(refusals).as("the 400 lines of %s, in %s", name, lines).hasSize(1);
    assertThat(lines.stream().filter(l -> l.get("status").asInt() == 200)).as("nothing proxied").isEmpty();
  }

  @Test
  void anUnknownFrameTypeIsIgnored() throws Exception {
    try (RawH2 c = connect()) {
      c.frame(0x42, 0, 0, new byte[5]).frame(0x42, 0x7, 1, new byte[2]);
      c.request(1, true, "GET", "shop.test", "/after-unknown");
      assertThat(c.awaitHeaders(1).headers()).isNotNull();
    }
  }

  @Test
  void anUnknownSettingIsIgnored() throws Exception {
    try (RawH2 c = connect()) {
      c.settings(0x99, 7);
      c.request(1, true, "GET", "shop.test", "/after-setting");
      assertThat(c.awaitHeaders(1).headers()).isNotNull();
    }
  }

  @Test
  void aPingIsAnsweredWithAnAckOfTheSamePayload() throws Exception {
    try (RawH2 c = connect()) {
      c.ping(0x0102030405060708L);
      RawH2.Frame ack = c.await(Duration.ofSeconds(5), "PING ack", f -> f.type() == PING);
      assertThat(ack.flags() & RawH2.ACK).isEqualTo(RawH2.ACK);
      assertThat(ack.payload()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }
  }

  @Test
  void dataOnAStreamTheVisitorResetGetsStreamClosed() throws Exception {
    try (RawH2 c = connect()) {
      c.request(1, false, "POST", "shop.test", "/reset-then-data");
      c.rst(1, Http2Error.CANCEL);
      c.data(1, false, new byte[10]);
      RawH2.Frame f = c.awaitReset(1);
      assertThat(f.type()).as("%s", f).isEqualTo(RST_STREAM);
      assertThat(f.error()).isEqualTo(Http2Error.STREAM_CLOSED);
    }
  }

  @Test
  void aStreamOverTheConcurrentStreamLimitIsRefusedAndTheOthersAreServed() throws Exception {
    int limit = Http2Pipeline.MAX_CONCURRENT_STREAMS;
    try (RawH2 c = connect()) {
      for (int i = 0; i < limit; i++) c.request(1 + 2 * i, false, "POST", "shop.test", "/open-" + i, "content-length", "1");
      int over = 1 + 2 * limit;
      c.request(over, false, "POST", "shop.test", "/one-too-many", "content-length", "1");
      RawH2.Frame f = c.awaitReset(over);
      assertThat(f.type()).as("%s", f).isEqualTo(RST_STREAM);
      assertThat(f.error()).isIn(Http2Error.REFUSED_STREAM, Http2Error.PROTOCOL_ERROR);
      c.data(1, true, new byte[1]);
      assertThat(c.awaitHeaders(1).headers().status().toString()).isEqualTo("200");
    }
  }

  /** A zone as the HTTP/2 tests had it: with connect, read and write timeouts of 3 s, 10 s and 10 s. */
  static String zone(String name, String settings) {
    return EdgeExtension.zone(name, "timeouts: { connect: 3s, read: 10s, write: 10s }\n" + settings);
  }

  // ---- helpers --------------------------------------------------------------------------------

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static RawH2 connect() throws IOException {
    return new RawH2(edge.httpsPort(), tls, "shop.test");
  }

  static H2Log mark() throws Exception {
    return H2Log.markAfter(edge.log().file(), sentinel());
  }

  static List<JsonNode> lines(H2Log log) throws Exception {
    return log.linesBefore(sentinel());
  }

  private static String sentinel() throws Exception {
    String path = "/sentinel-" + sentinels.incrementAndGet();
    try (H2Client h2 = new H2Client(edge.httpsPort(), "shop.test", pki.ca())) {
      assertThat(h2.send("GET", "shop.test", path, null).status()).isEqualTo(200);
    }
    return path;
  }

  static final int UNUSED = END_STREAM; // keep the static imports honest
}
