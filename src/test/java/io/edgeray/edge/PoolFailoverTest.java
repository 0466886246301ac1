package io.edgeray.edge;

import static io.edgeray.edge.PoolFixtures.ZONE;
import static io.edgeray.edge.PoolFixtures.pools;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.AccessLog;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.Ports;
import io.edgeray.testing.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Zero-downtime failover: a failure that sent nothing is retried on a sibling origin, and the log shows every try. */
class PoolFailoverTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();

  @Test
  void killingOneOfTwoOriginsUnderLoadFailsNoVisitorRequestAndTheLogShowsTheRetries() throws Exception {
    int total = 240;
    int killAfter = 60;
    try (FaultyOrigin a = FaultyOrigin.start(); FaultyOrigin b = FaultyOrigin.start()) {
      edge.start(pools(a.port(), b.port(), "retry_idempotent: true"), ZONE);
      AtomicInteger started = new AtomicInteger();
      List<RawClient.Response> answers = Collections.synchronizedList(new ArrayList<>());
      ExecutorService visitors = Executors.newFixedThreadPool(4);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(visitors.submit(() -> {
          while (started.getAndIncrement() < total && System.nanoTime() < deadline) {
            answers.add(edge.get("shop.example", "/item"));
          }
          return null;
        }));
      }
      io.edgeray.testing.Await.until(Duration.ofSeconds(10), () -> answers.size() >= killAfter, killAfter + " answers before the kill");
      a.close(); // the listening socket and every open connection: the origin process is gone
      for (Future<?> f : done) f.get(40, TimeUnit.SECONDS);
      visitors.shutdown();

      assertThat(answers).hasSize(total);
      assertThat(answers).allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(200));
      List<JsonNode> lines = edge.log().lines(total);
      assertThat(lines).allSatisfy(l -> assertThat(l.get("status").asInt()).isEqualTo(200));
      String deadOrigin = "127.0.0.1:" + a.port();
      String liveOrigin = "127.0.0.1:" + b.port();
      List<JsonNode> retried = lines.stream().filter(l -> l.get("attempts").size() > 1).toList();
      assertThat(retried).isNotEmpty();
      // every try that failed was on the dead origin (a pooled connection it closed, then its refused
      // port); the last try, the one the visitor saw, on the live one
      assertThat(retried).allSatisfy(l -> {
        List<String> tries = AccessLog.attempts(l);
        assertThat(tries.get(tries.size() - 1)).isEqualTo(liveOrigin + "=ok");
        assertThat(tries.subList(0, tries.size() - 1)).allSatisfy(t -> assertThat(t).startsWith(deadOrigin + "="));
        assertThat(l.get("origin_addr").asText()).isEqualTo(liveOrigin);
      });
      assertThat(retried).anySatisfy(l -> assertThat(AccessLog.attempts(l).get(0)).isEqualTo(deadOrigin + "=CONNECTION_REFUSED"));
    }
  }

  @Test
  void refusedOriginIsRetriedOnItsSiblingAndTheVisitorSeesOnlyTheAnswer() throws Exception {
    int closed = Ports.closedPort();
    try (FaultyOrigin b = FaultyOrigin.start()) {
      edge.start(pools(closed, b.port(), "passive: { failures: 100 }"), ZONE);
      List<String> rays = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        RawClient.Response r = edge.get("shop.example", "/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("proxy-status")).isNull();
        rays.add(r.header("edge-ray"));
      }
      List<JsonNode> lines = linesOf(rays);
      // round robin: every other request tries the refusing origin first
      assertThat(lines.stream().map(AccessLog::attempts).toList()).containsExactly(
          List.of("127.0.0.1:" + closed + "=CONNECTION_REFUSED", "127.0.0.1:" + b.port() + "=ok"),
          List.of("127.0.0.1:" + b.port() + "=ok"),
          List.of("127.0.0.1:" + closed + "=CONNECTION_REFUSED", "127.0.0.1:" + b.port() + "=ok"),
          List.of("127.0.0.1:" + b.port() + "=ok"));
    }
  }

  @Test
  void retriesStopAfterTheConfiguredNumberAndTheVisitorSeesTheLastFailure() throws Exception {
    int[] closed = {Ports.closedPort(), Ports.closedPort(), Ports.closedPort()};
    String pool = """
        pools:
          - name: web
            retries: 1
            origins:
              - { name: a, address: 127.0.0.1, port: %d }
              - { name: b, address: 127.0.0.1, port: %d }
              - { name: c, address: 127.0.0.1, port: %d }
        """.formatted(closed[0], closed[1], closed[2]);
    edge.start(pool, ZONE);
    RawClient.Response r = edge.get("shop.example", "/");
    assertThat(r.status()).isEqualTo(521);
    assertThat(r.header("proxy-status")).contains("error=connection_refused");
    JsonNode line = edge.logLine(r.header("edge-ray"));
    assertThat(AccessLog.attempts(line)).containsExactly(
        "127.0.0.1:" + closed[0] + "=CONNECTION_REFUSED", "127.0.0.1:" + closed[1] + "=CONNECTION_REFUSED");
    // the log names each try's origin as the owner configured it, not only by address
    assertThat(line.get("attempts").get(0).get("pool_origin").asText()).isEqualTo("web.a");
    assertThat(line.get("attempts").get(1).get("pool_origin").asText()).isEqualTo("web.b");
    assertThat(line.get("failure").asText()).isEqualTo("CONNECTION_REFUSED");
  }

  @Test
  void aRequestThatReachedAnOriginIsNotRetriedByDefault() throws Exception {
    try (FaultyOrigin a = FaultyOrigin.start(Fault.CLOSE_AFTER_REQUEST); FaultyOrigin b = FaultyOrigin.start()) {
      edge.start(pools(a.port(), b.port(), ""), ZONE);
      RawClient.Response first = edge.get("shop.example", "/");
      assertThat(first.status()).isEqualTo(520);
      assertThat(AccessLog.attempts(edge.logLine(first.header("edge-ray"))))
          .containsExactly("127.0.0.1:" + a.port() + "=RESPONSE_INCOMPLETE");
      assertThat(b.requests()).isEmpty();
    }
  }

  @Test
  void anIdempotentRequestThatReachedAFailingOriginIsRetriedWhenThePoolAllowsIt() throws Exception {
    try (FaultyOrigin a = FaultyOrigin.start(Fault.CLOSE_AFTER_REQUEST); FaultyOrigin b = FaultyOrigin.start()) {
      edge.start(pools(a.port(), b.port(), "retry_idempotent: true"), ZONE);
      RawClient.Response get = edge.get("shop.example", "/");
      assertThat(get.status()).isEqualTo(200);
      assertThat(AccessLog.attempts(edge.logLine(get.header("edge-ray"))))
          .containsExactly("127.0.0.1:" + a.port() + "=RESPONSE_INCOMPLETE", "127.0.0.1:" + b.port() + "=ok");
      String post = "POST / HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
      assertThat(edge.raw(post).status()).isEqualTo(200); // b's turn
      RawClient.Response postToA = edge.raw(post);
      assertThat(postToA.status()).isEqualTo(520); // a's turn, and a POST is never replayed
      assertThat(AccessLog.attempts(edge.logLine(postToA.header("edge-ray"))))
          .containsExactly("127.0.0.1:" + a.port() + "=RESPONSE_INCOMPLETE");
    }
  }

  @Test
  void severalARecordsOnOneNameAreAnImplicitPoolTakenInTurnWithFailover() throws Exception {
    try (FaultyOrigin second = FaultyOrigin.start(java.net.InetAddress.getByName("127.0.0.2"), 0)) {
      edge.start("""
              - name: shop.example
                origin_ports: { http: %d }
                records:
                  - { type: A, name: "@", content: 127.0.0.1, proxied: true }
                  - { type: A, name: "@", content: 127.0.0.2, proxied: true }
            """.formatted(second.port()));
      List<String> rays = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        RawClient.Response r = edge.get("shop.example", "/");
        assertThat(r.status()).isEqualTo(200);
        rays.add(r.header("edge-ray"));
      }
      String refused = "127.0.0.1:" + second.port() + "=CONNECTION_REFUSED";
      String ok = "127.0.0.2:" + second.port() + "=ok";
      assertThat(linesOf(rays).stream().map(AccessLog::attempts).toList())
          .containsExactly(List.of(refused, ok), List.of(ok), List.of(refused, ok), List.of(ok));
      assertThat(edge.node().server().pools().pool("records:shop.example").origins())
          .extracting(o -> o.origin().hostPort()).containsExactly("127.0.0.1", "127.0.0.2");
    }
  }

  @Test
  void aProxiedCnameToSeveralDnsOnlyRecordsTriesEachInRecordOrder() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start()) {
      edge.start("""
              - name: shop.example
                origin_ports: { http: %d }
                records:
                  - { type: A, name: "@", content: 127.0.0.3 }
                  - { type: A, name: "@", content: 127.0.0.1 }
                  - { type: CNAME, name: www, content: shop.example, proxied: true }
            """.formatted(origin.port()));
      RawClient.Response r = edge.get("www.shop.example", "/");
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(AccessLog.attempts(edge.logLine(r.header("edge-ray")))).containsExactly(
          "127.0.0.3:" + origin.port() + "=CONNECTION_REFUSED", "127.0.0.1:" + origin.port() + "=ok");
    }
  }

  @Test
  void aPoolWhoseOriginsAreAllDisabledGives503SayingSoNotADnsError() throws Exception {
    try (FaultyOrigin a = FaultyOrigin.start()) {
      edge.start("""
            pools:
              - name: web
                origins:
                  - { name: a, address: 127.0.0.1, port: %d, enabled: false }
            """.formatted(a.port()), ZONE);
      RawClient.Response r = edge.get("shop.example", "/");
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.header("proxy-status")).isEqualTo("edgeray-T1; error=destination_unavailable");
      assertThat(r.body()).contains("Error 1201", "No origin is enabled", "has taken every web server behind it out of service");
      JsonNode line = edge.logLine(r.header("edge-ray"));
      assertThat(line.get("detail").asText()).isEqualTo("every origin of the pools serving shop.example is disabled");
      assertThat(line.get("attempts")).isEmpty();
      assertThat(a.connectionsAccepted()).isZero();
    }
  }

  /**
   * Each request's own line, in the order the requests were sent. The log itself is in the order the
   * rays finished, and a ray finishes just after its response went out: the client can read it and
   * send the next request, and that one can finish first, so the log's order is not the requests'.
   */
  private List<JsonNode> linesOf(List<String> rays) {
    return rays.stream().map(edge::logLine).toList();
  }
}
