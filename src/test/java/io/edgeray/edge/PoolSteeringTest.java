package io.edgeray.edge;

import static io.edgeray.edge.PoolFixtures.ZONE;
import static io.edgeray.edge.PoolFixtures.pools;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.Fault;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Weighted and least-outstanding steering, and a saturated origin passed over for a sibling with room. */
class PoolSteeringTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();

  @Test
  void weightedSteeringFollowsTheWeightsAndWeightZeroGetsNothing() throws Exception {
    try (FaultyOrigin a = FaultyOrigin.start(); FaultyOrigin b = FaultyOrigin.start()) {
      edge.start("""
            pools:
              - name: web
                steering: weighted
                origins:
                  - { name: a, address: 127.0.0.1, port: %d, weight: 0 }
                  - { name: b, address: 127.0.0.1, port: %d, weight: 5 }
            """.formatted(a.port(), b.port()), ZONE);
      for (int i = 0; i < 8; i++) assertThat(edge.get("shop.example", "/").status()).isEqualTo(200);
      assertThat(a.requests()).isEmpty();
      assertThat(b.requests()).hasSize(8);
    }
  }

  @Test
  void leastOutstandingSteeringPassesOverAnOriginBusyWithARequest() throws Exception {
    try (FaultyOrigin slow = FaultyOrigin.start(Fault.SLOW_HEAD).slowDelay(Duration.ofMillis(1500));
        FaultyOrigin fast = FaultyOrigin.start()) {
      edge.start(pools(slow.port(), fast.port(), "steering: least_outstanding"), ZONE);
      List<CompletableFuture<RawClient.Response>> pending = new ArrayList<>();
      // requests until one is held by the slow origin (each one that lands on the fast one is over at once)
      for (int i = 0; i < 4 && slow.requests().isEmpty(); i++) {
        pending.add(CompletableFuture.supplyAsync(() -> get(edge)));
        io.edgeray.testing.Await.until(Duration.ofSeconds(5),
            () -> slow.requests().size() + fast.requests().size() > pending.size() - 1, "request " + pending.size() + " at an origin");
      }
      assertThat(slow.requests()).hasSize(1);
      int fastBefore = fast.requests().size();
      for (int i = 0; i < 5; i++) assertThat(edge.get("shop.example", "/").status()).isEqualTo(200);
      assertThat(fast.requests()).hasSize(fastBefore + 5);
      assertThat(slow.requests()).hasSize(1);
      for (CompletableFuture<RawClient.Response> p : pending) assertThat(p.get().status()).isEqualTo(200);
    }
  }

  @Test
  void anOriginAtItsConnectionLimitIsPassedOverForASiblingWithRoom() throws Exception {
    try (FaultyOrigin a = FaultyOrigin.start(Fault.SLOW_HEAD).slowDelay(Duration.ofMillis(1200));
        FaultyOrigin b = FaultyOrigin.start(Fault.SLOW_HEAD).slowDelay(Duration.ofMillis(1200))) {
      edge.start(pools(a.port(), b.port(), "steering: ip_hash\n    max_connections: 1"), ZONE);
      // ip_hash sends every request from 127.0.0.1 to the same origin, while it has room
      CompletableFuture<RawClient.Response> first = CompletableFuture.supplyAsync(() -> get(edge));
      io.edgeray.testing.Await.until(Duration.ofSeconds(5), () -> a.requests().size() + b.requests().size() == 1, "the first request at an origin");
      FaultyOrigin hashed = a.requests().isEmpty() ? b : a;
      FaultyOrigin sibling = hashed == a ? b : a;
      RawClient.Response second = edge.get("shop.example", "/");
      assertThat(second.status()).isEqualTo(200);
      assertThat(sibling.requests()).hasSize(1);
      assertThat(first.get().status()).isEqualTo(200);
      assertThat(hashed.requests()).hasSize(1);
    }
  }

  private static RawClient.Response get(EdgeExtension edge) {
    try {
      return edge.get("shop.example", "/");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
