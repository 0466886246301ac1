package io.edgeray.edge;

import static io.edgeray.edge.ErrorPageAssertions.zone;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.Await;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.RawClient;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * limits.visitor_idle on HTTP/1.1: a keep-alive connection with no ray in progress and nothing
 * read or written for that long is closed without a byte; a connection whose ray takes longer
 * (a slow origin) is not idle, and its idle time starts over once the response is out. The idle
 * timers run on the event loops' real clock, so the limit is short and every wait is bounded; a
 * close is timed from the request's send, which comes before the edge's idle time can start.
 */
class VisitorIdleTimeoutTest {
  private static final Duration IDLE = Duration.ofMillis(400);
  private static final String LIMIT = "limits: { visitor_idle: " + IDLE.toMillis() + "ms }\n";

  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();

  @Test
  void idleKeepAliveConnectionIsClosedSilentlyAfterVisitorIdle() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK);
        RawClient v = edge.start(LIMIT, zone(origin.port())).connect()) {
      long sent = System.nanoTime();
      v.send("GET /first HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      RawClient.Response r = v.readResponse();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("connection")).as("kept alive").isNull();

      v.readTimeout(Duration.ofSeconds(5));
      assertThat(v.in().read()).as("end of stream, no bytes (no 408 for an idle connection)").isEqualTo(-1);
      Duration waited = Duration.ofNanos(System.nanoTime() - sent);
      assertThat(waited).as("closed once idle for visitor_idle, not before").isGreaterThanOrEqualTo(IDLE)
          .isLessThan(Duration.ofSeconds(5));
      assertThat(origin.requests()).extracting(q -> q.uri()).containsExactly("/first");
    }
  }

  @Test
  void connectionWithAResponseSlowerThanVisitorIdleIsNotClosedAsIdle() throws Exception {
    Duration slow = IDLE.multipliedBy(3);
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.SLOW_HEAD).slowDelay(slow);
        RawClient v = edge.start(LIMIT, zone(origin.port())).connect()) {
      long sent = System.nanoTime();
      v.send("GET /slow HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      RawClient.Response r = v.readResponse();
      assertThat(r.status()).as("the ray in progress kept the connection").isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(slow);

      // the same connection serves the next request: the idle time started over after the response
      origin.fault(Fault.OK);
      sent = System.nanoTime();
      v.send("GET /next HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      assertThat(v.readResponse().status()).isEqualTo(200);
      v.readTimeout(Duration.ofSeconds(5));
      assertThat(v.in().read()).as("then closed as idle").isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(IDLE);
      assertThat(origin.requests()).extracting(q -> q.uri()).containsExactly("/slow", "/next");
    }
  }

  @Test
  void aConnectionClosedWithRequestBytesUnreadLingersThenTheEdgeClosesIt() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK);
        RawClient v = edge.start("limits: { request_head: 4KiB, visitor_idle: 400ms }\n", zone(origin.port())).connect()) {
      v.send("GET /big HTTP/1.1\r\nHost: shop.example\r\nX-Big: " + "a".repeat(8 * 1024) + "\r\n\r\n");
      RawClient.Response r = v.readResponse();
      assertThat(r.status()).as("the head over the limit").isEqualTo(431);
      assertThat(r.header("connection")).isEqualTo("close");
      v.readTimeout(Duration.ofSeconds(5));
      assertThat(v.in().read()).as("the edge's end of the stream, at once").isEqualTo(-1);

      // lingering, the edge reads and drops what the visitor still sends; once closed, the kernel resets
      Duration lingered = acceptsWritesFor(v, Duration.ofSeconds(6));
      assertThat(lingered).as("the linger, not visitor_idle, and not for ever")
          .isGreaterThanOrEqualTo(VisitorHandler.LINGER.minusMillis(100)).isLessThan(Duration.ofSeconds(5));
      assertThat(origin.requests()).as("refused at the edge").isEmpty();
    }
  }

  @Test
  void aVisitorThatSaidCloseIsClosedAtOnceAfterItsResponse() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK);
        RawClient v = edge.start(LIMIT, zone(origin.port())).connect()) {
      v.send("GET /last HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n");
      RawClient.Response r = v.readResponse();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("connection")).isEqualTo("close");
      v.readTimeout(Duration.ofSeconds(5));
      assertThat(v.in().read()).isEqualTo(-1);
      // nothing of the request was left unread: no linger, the socket is closed with the response
      assertThat(acceptsWritesFor(v, Duration.ofSeconds(6))).as("closed, not lingering")
          .isLessThan(VisitorHandler.LINGER.dividedBy(2));
    }
  }

  @Test
  void aConnectionIdleForASecondShedsItsCodecAndItsNextRequestIsServedAsBefore() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK);
        RawClient v = edge.start("limits: { visitor_idle: 4s }\n", zone(origin.port())).connect()) {
      EdgeServer server = idleAfterOneRequest(v);

      v.send("GET /second HTTP/1.1\r\nHo"); // the head in two pieces: the codec that wakes holds the first
      v.send("st: shop.example\r\n\r\n");
      RawClient.Response r = v.readResponse();

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("connection")).as("kept alive").isNull();
      assertThat(server.dozingVisitors()).isZero();
      assertThat(origin.requests()).extracting(q -> q.uri()).containsExactly("/first", "/second");
    }
  }

  @Test
  void aRequestHeadStartedAfterTheCodecWasShedStillHasItsDeadline() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK);
        RawClient v = edge.start("limits: { visitor_idle: 4s, request_head_timeout: 500ms }\n", zone(origin.port())).connect()) {
      idleAfterOneRequest(v);

      v.send("GET /never-finished HTTP/1.1\r\nHost: shop.example\r\n"); // no blank line
      v.readTimeout(Duration.ofSeconds(5));
      RawClient.Response r = v.readResponse();

      assertThat(r.status()).as("the head's deadline ran from its first byte").isEqualTo(408);
      assertThat(origin.requests()).extracting(q -> q.uri()).containsExactly("/first");
    }
  }

  /** Sends /first, reads its 200, and waits until the connection has idled long enough to shed its codec (a second). */
  private EdgeServer idleAfterOneRequest(RawClient v) throws Exception {
    v.send("GET /first HTTP/1.1\r\nHost: shop.example\r\n\r\n");
    assertThat(v.readResponse().status()).isEqualTo(200);
    EdgeServer server = edge.node().server();
    Await.until(Duration.ofSeconds(5), () -> server.dozingVisitors() == 1, "the idle connection's codec shed");
    return server;
  }

  /** How long the edge goes on taking a byte every 20 ms before the connection is reset, at most {@code limit}. */
  private static Duration acceptsWritesFor(RawClient v, Duration limit) throws InterruptedException {
    long start = System.nanoTime();
    while (System.nanoTime() - start < limit.toNanos()) {
      try {
        v.out().write('x');
        v.out().flush();
      } catch (IOException reset) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      Thread.sleep(20);
    }
    return limit;
  }
}
