package io.edgeray.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.TestPki;
import io.netty.handler.codec.http2.Http2Error;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * limits.visitor_idle on HTTP/2: a connection with no stream open that has read nothing for that
 * long goes away (GOAWAY NO_ERROR, then close); a stream in progress keeps it, however slow its
 * origin, and the idle time starts over when the last stream ends. Real clock, short limit,
 * bounded waits; a GOAWAY is timed from the last request's send, before the idle time can start.
 */
class Http2IdleTimeoutTest {
  private static final Duration IDLE = Duration.ofMillis(400);

  @RegisterExtension final EdgeExtension edge = EdgeExtension.create().https()
      .extra("limits: { visitor_idle: " + IDLE.toMillis() + "ms }\n");
  @TempDir Path dir;
  private FaultyOrigin fast;
  private FaultyOrigin slow;
  private TestPki pki;

  @BeforeEach
  void start() throws Exception {
    pki = new TestPki(dir.resolve("pki"));
    fast = FaultyOrigin.start(Fault.OK);
    slow = FaultyOrigin.start(Fault.SLOW_HEAD).slowDelay(IDLE.multipliedBy(3));
    String c = pki.issue(List.of("shop.test", "slow.test")).yaml();
    edge.start(zone("shop.test", fast, c) + zone("slow.test", slow, c));
  }

  private static String zone(String name, FaultyOrigin origin, String certificate) {
    return EdgeExtension.zone(name, "ssl: flexible\norigin_ports: { http: " + origin.port() + " }\n" + certificate);
  }

  @AfterEach
  void stop() {
    fast.close();
    slow.close();
  }

  @Test
  void http2ConnectionWithNoStreamGoesAwayAfterVisitorIdle() throws Exception {
    try (RawH2 c = new RawH2(edge.httpsPort(), pki.clientContext(), "shop.test")) {
      long sent = System.nanoTime();
      c.request(1, true, "GET", "shop.test", "/first");
      assertThat(H2Stage.status(c.awaitHeaders(1))).isEqualTo("200");
      RawH2.Frame goAway = c.await(Duration.ofSeconds(5), "GOAWAY", f -> f.type() == RawH2.GOAWAY);
      assertThat(goAway.error()).isEqualTo(Http2Error.NO_ERROR);
      assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("not before visitor_idle").isGreaterThanOrEqualTo(IDLE);
      c.awaitClosed(Duration.ofSeconds(5));
    }
  }

  @Test
  void http2StreamSlowerThanVisitorIdleKeepsItsConnection() throws Exception {
    try (RawH2 c = new RawH2(edge.httpsPort(), pki.clientContext(), "shop.test")) {
      c.request(1, true, "GET", "slow.test", "/slow");
      assertThat(H2Stage.status(c.awaitHeaders(1))).as("an answer, not a GOAWAY").isEqualTo("200");
      long sent = System.nanoTime();
      c.request(3, true, "GET", "shop.test", "/next");
      assertThat(H2Stage.status(c.awaitHeaders(3))).as("the same connection serves on").isEqualTo("200");
      assertThat(c.await(Duration.ofSeconds(5), "GOAWAY", f -> f.type() == RawH2.GOAWAY).error()).isEqualTo(Http2Error.NO_ERROR);
      assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(IDLE);
    }
    assertThat(slow.requests()).extracting(q -> q.uri()).containsExactly("/slow");
  }
}
