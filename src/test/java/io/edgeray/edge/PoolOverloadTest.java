package io.edgeray.edge;

import static io.edgeray.edge.PoolFixtures.ZONE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** max_connections with a bounded queue: the edge answers 503 rather than pile connections onto a busy origin. */
class PoolOverloadTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();

  @Test
  void beyondMaxConnectionsWithoutAQueueTheEdgeAnswers503ConnectionLimitReached() throws Exception {
    try (FaultyOrigin slow = FaultyOrigin.start(Fault.SLOW_HEAD).slowDelay(Duration.ofMillis(1500))) {
      edge.start(pool(slow.port(), "max_connections: 2"), ZONE);
      List<RawClient.Response> answers = concurrently(edge, 6);
      assertThat(answers).filteredOn(r -> r.status() == 200).hasSize(2);
      List<RawClient.Response> refused = answers.stream().filter(r -> r.status() != 200).toList();
      assertThat(refused).hasSize(4).allSatisfy(r -> {
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.header("proxy-status")).isEqualTo("edgeray-T1; error=connection_limit_reached");
        assertThat(r.header("retry-after")).isEqualTo("5");
        assertThat(r.body()).contains("Origin is overloaded").contains("1200");
      });
      JsonNode line = edge.logLine(refused.get(0).header("edge-ray"));
      assertThat(line.get("failure").asText()).isEqualTo("CONNECTION_LIMIT");
      assertThat(line.get("proxy_status").asText()).isEqualTo("connection_limit_reached");
      assertThat(line.get("detail").asText()).isEqualTo("a of pool web has its max_connections (2) open and 0 requests waiting");
      assertThat(line.get("attempts")).isEmpty();
      assertThat(slow.peakOpenConnections()).isEqualTo(2);
      assertThat(slow.connectionsAccepted()).isEqualTo(2);
    }
  }

  @Test
  void anOriginsOwnMaxConnectionsOverridesThePools() throws Exception {
    try (FaultyOrigin slow = FaultyOrigin.start(Fault.SLOW_HEAD).slowDelay(Duration.ofMillis(1500))) {
      edge.start("""
            pools:
              - name: web
                max_connections: 10
                origins:
                  - { name: a, address: 127.0.0.1, port: %d, max_connections: 1 }
            """.formatted(slow.port()), ZONE);
      assertThat(concurrently(edge, 3)).extracting(RawClient.Response::status).containsExactlyInAnyOrder(200, 503, 503);
      assertThat(slow.peakOpenConnections()).isEqualTo(1);
    }
  }

  @Test
  void queuedRequestsWaitForAFreeConnectionAndTheOriginNeverSeesMoreThanTheLimit() throws Exception {
    try (FaultyOrigin slow = FaultyOrigin.start(Fault.SLOW_HEAD).slowDelay(Duration.ofMillis(200))) {
      edge.start(pool(slow.port(), "max_connections: 1\n    queue: 10\n    queue_timeout: 10s"), ZONE);
      long begin = System.nanoTime();
      List<RawClient.Response> answers = concurrently(edge, 5);
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
      assertThat(answers).extracting(RawClient.Response::status).containsOnly(200);
      assertThat(slow.requests()).hasSize(5);
      // one at a time: each answer takes 200 ms, so five in turn take at least a second
      assertThat(tookMillis).isGreaterThanOrEqualTo(1000);
      // a freed slot is a closed connection handed to the next waiter as a new one; the origin may
      // not have reaped the closed one yet when the new one arrives, but never sees two requests at once
      assertThat(slow.connectionsAccepted()).isEqualTo(5);
      assertThat(edge.node().server().pools().pool("web").origins().get(0).connections().waiting()).isZero();
    }
  }

  @Test
  void aRequestThatWaitsLongerThanTheQueueTimeoutGets503() throws Exception {
    try (FaultyOrigin slow = FaultyOrigin.start(Fault.SLOW_HEAD).slowDelay(Duration.ofMillis(2000))) {
      edge.start(pool(slow.port(), "max_connections: 1\n    queue: 1\n    queue_timeout: 300ms"), ZONE);
      List<RawClient.Response> answers = concurrently(edge, 2);
      assertThat(answers).extracting(RawClient.Response::status).containsExactlyInAnyOrder(200, 503);
      RawClient.Response refused = answers.stream().filter(r -> r.status() == 503).findFirst().orElseThrow();
      assertThat(edge.logLine(refused.header("edge-ray")).get("detail").asText())
          .isEqualTo("a of pool web has its max_connections (1) open; none closed within the queue timeout (300 ms)");
      assertThat(slow.peakOpenConnections()).isEqualTo(1);
    }
  }

  private static List<RawClient.Response> concurrently(EdgeExtension edge, int n) throws Exception {
    ExecutorService visitors = Executors.newFixedThreadPool(n);
    try {
      List<Callable<RawClient.Response>> calls = new ArrayList<>();
      for (int i = 0; i < n; i++) calls.add(() -> edge.get("shop.example", "/"));
      List<RawClient.Response> out = new ArrayList<>();
      for (Future<RawClient.Response> f : visitors.invokeAll(calls, 20, TimeUnit.SECONDS)) out.add(f.get());
      return out;
    } finally {
      visitors.shutdownNow();
    }
  }

  private static String pool(int port, String limits) {
    return """
        pools:
          - name: web
            %s
            origins:
              - { name: a, address: 127.0.0.1, port: %d }
        """.formatted(limits, port);
  }
}
