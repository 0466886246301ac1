package io.edgeray.edge;

import static io.edgeray.edge.ErrorPageAssertions.zone;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.Await;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shutdown (what SIGTERM runs): the listener closes at once so new visitors are refused, idle
 * keep-alive connections are closed, and a response in flight is finished within the grace period,
 * with Connection: close, and logged.
 */
class ShutdownDrainTest {
  @TempDir Path dir;

  @Test
  void inFlightSlowResponseFinishesWithinTheGraceWhileNewConnectionsAreRefused() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK).slowDelay(Duration.ofMillis(1500));
        Edge edge = Edge.start(dir, "", zone(origin.port()));
        RawVisitor idle = new RawVisitor(edge.address());
        RawVisitor inFlight = new RawVisitor(edge.address())) {
      InetSocketAddress address = edge.address();
      idle.send("GET /before HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      assertThat(idle.readResponse().status()).isEqualTo(200); // now an idle keep-alive connection

      origin.fault(Fault.SLOW_HEAD);
      inFlight.send("GET /slow HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      origin.awaitRequests(2, Duration.ofSeconds(5));

      long begin = System.nanoTime();
      CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> edge.node.shutdown(Duration.ofSeconds(20)));
      Await.until(Duration.ofSeconds(5), () -> refuses(address), "the listener to refuse new connections");
      assertThat(idle.closedByEdge()).as("idle keep-alive connection closed at once").isTrue();
      assertThat(shutdown).isNotDone();

      Edge.Response r = inFlight.readResponse();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).contains("\"path\":\"/slow\"");
      assertThat(r.header("connection")).isEqualTo("close");
      assertThat(inFlight.closedByEdge()).isTrue();

      shutdown.get(10, TimeUnit.SECONDS);
      long tookMs = (System.nanoTime() - begin) / 1_000_000;
      assertThat(tookMs).as("waited for the ray, not for the whole grace").isLessThan(10_000);
      JsonNode line = edge.logLine(r.header("edge-ray"));
      assertThat(line.get("status").asInt()).isEqualTo(200);
      assertThat(line.has("abort")).isFalse();
    }
  }

  @Test
  void rayStillInFlightWhenTheGraceEndsIsCutAndLoggedAsCutByTheShutdown() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.SLOW_HEAD).slowDelay(Duration.ofSeconds(30));
        Edge edge = Edge.start(dir, "", zone(origin.port()));
        RawVisitor inFlight = new RawVisitor(edge.address())) {
      inFlight.send("GET /too-slow HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      origin.awaitRequests(1, Duration.ofSeconds(5));
      long begin = System.nanoTime();
      edge.node.shutdown(Duration.ofMillis(300));
      assertThat((System.nanoTime() - begin) / 1_000_000).isBetween(300L, 10_000L);
      assertThat(inFlight.closedByEdge()).isTrue();
      String ray = origin.requests().get(0).header("Edge-Ray").orElseThrow();
      JsonNode line = edge.logLine(ray);
      assertThat(line.get("abort").asText()).isEqualTo("edge shut down before the response: grace period over");
      assertThat(line.get("status").asInt()).isEqualTo(503);
      assertThat(line.get("failure").asText()).isEqualTo("SHUTTING_DOWN");
    }
  }

  private static boolean refuses(InetSocketAddress address) {
    try (Socket s = new Socket()) {
      s.connect(address, 500);
      return false;
    } catch (IOException refused) {
      return true;
    }
  }
}
