package io.edgeray.edge;

import static io.edgeray.edge.ErrorPageAssertions.zone;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.Await;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.RawClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Shutdown (what SIGTERM runs): the listener closes at once so new visitors are refused, idle
 * keep-alive connections are closed, and a response in flight is finished within the grace period,
 * with Connection: close, and logged.
 */
class ShutdownDrainTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();

  @Test
  void inFlightSlowResponseFinishesWithinTheGraceWhileNewConnectionsAreRefused() throws Exception {
    try (FaultyOrigin origin = FaultyOrigin.start(Fault.OK).slowDelay(Duration.ofMillis(1500));
        RawClient idle = edge.start(zone(origin.port())).connect();
        RawClient inFlight = edge.connect()) {
      InetSocketAddress address = edge.httpAddress();
      idle.send("GET /before HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      assertThat(idle.readResponse().status()).isEqualTo(200); // now an idle keep-alive connection

      origin.fault(Fault.SLOW_HEAD);
      inFlight.send("GET /slow HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      origin.awaitRequests(2, Duration.ofSeconds(5));

      long begin = System.nanoTime();
      CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> edge.node().shutdown(Duration.ofSeconds(20)));
      Await.until(Duration.ofSeconds(5), () -> refuses(address), "the listener to refuse new connections");
      assertThat(idle.closedByPeer()).as("idle keep-alive connection closed at once").isTrue();
      assertThat(shutdown).isNotDone();

      RawClient.Response r = inFlight.readResponse();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).contains("\"path\":\"/slow\"");
      assertThat(r.header("connection")).isEqualTo("close");
      assertThat(inFlight.closedByPeer()).isTrue();

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
        RawClient inFlight = edge.start(zone(origin.port())).connect()) {
      inFlight.send("GET /too-slow HTTP/1.1\r\nHost: shop.example\r\n\r\n");
      origin.awaitRequests(1, Duration.ofSeconds(5));
      long begin = System.nanoTime();
      edge.node().shutdown(Duration.ofMillis(300));
      assertThat((System.nanoTime() - begin) / 1_000_000).isBetween(300L, 10_000L);
      assertThat(inFlight.closedByPeer()).isTrue();
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
