package io.edgeray.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.Await;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.EtcdProcess;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.RedisProcess;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A rate limit counted on Redis holds across three nodes; without Redis each node counts alone and nobody waits. */
class FleetRateLimitTest {
  private static final int LIMIT = 30;
  private static EtcdProcess etcd;
  private static RedisProcess redis;
  private static FaultyOrigin origin;

  @RegisterExtension final EdgeExtension ams = EdgeExtension.create().node("AMS");
  @RegisterExtension final EdgeExtension fra = EdgeExtension.create().node("FRA");
  @RegisterExtension final EdgeExtension sin = EdgeExtension.create().node("SIN");

  @BeforeAll
  static void stores() throws Exception {
    etcd = EtcdProcess.started();
    redis = RedisProcess.started();
    origin = FaultyOrigin.start();
  }

  @AfterAll
  static void stop() {
    if (origin != null) origin.close();
    if (redis != null) redis.close();
    if (etcd != null) etcd.close();
  }

  private List<EdgeExtension> startAll(String name) throws Exception {
    String prefix = "/" + name;
    FleetFixture.write(etcd::url, prefix, FleetFixture.shared(origin.port(), List.of("www"),
        "rate_limits:\n  - { id: shared, requests: " + LIMIT + ", period: 1m, action: block }"));
    String more = ", redis: " + redis.url();
    ams.start(FleetFixture.nodeYaml(etcd.url(), prefix, "Amsterdam", more), "");
    fra.start(FleetFixture.nodeYaml(etcd.url(), prefix, "Frankfurt", more), "");
    sin.start(FleetFixture.nodeYaml(etcd.url(), prefix, "Singapore", more), "");
    List<EdgeExtension> nodes = List.of(ams, fra, sin);
    for (EdgeExtension n : nodes) {
      Await.until(Duration.ofSeconds(5), () -> Boolean.TRUE.equals(n.node().fleet().redisUp()), n + " counts on Redis");
    }
    return nodes;
  }

  @Test
  void aLimitOfThirtyPerMinuteHoldsAcrossThreeNodesToWithinAFewRequests() throws Exception {
    List<EdgeExtension> nodes = startAll("limit");
    int passed = 0;
    int limited = 0;
    for (int i = 0; i < 3 * LIMIT; i++) {
      int status = FleetFixture.status(nodes.get(i % 3), "www.shop.test");
      if (status == 200) passed++;
      else if (status == 429) limited++;
    }
    System.out.printf("fleet rate limit %d/min over 3 nodes, %d requests round robin: %d passed, %d refused%n",
        LIMIT, 3 * LIMIT, passed, limited);
    assertThat(passed).isBetween(LIMIT, LIMIT + 3); // one node alone would have let 90 through
    assertThat(passed + limited).isEqualTo(3 * LIMIT);
  }

  @Test
  void redisStoppedLimitsFallBackToEachNodeWithoutErrorsOrStalls() throws Exception {
    List<EdgeExtension> nodes = startAll("redisdown");
    redis.stop();
    try {
      long t0 = System.nanoTime();
      for (int i = 0; i < 20; i++) assertThat(FleetFixture.status(nodes.get(0), "www.shop.test")).isEqualTo(200);
      assertThat((System.nanoTime() - t0) / 1_000_000).as("20 requests while Redis is down, in ms").isLessThan(5_000);
      Await.until(Duration.ofSeconds(2), () -> !nodes.get(0).node().fleet().redisUp(), "AMS notices Redis is gone");
      assertThat(ams.admin().get("/healthz").body())
          .contains("Redis unreachable: rate limits count on this node only");
      // each node now counts alone: AMS refuses once its own count is over the limit
      int passed = 20;
      for (int i = 0; i < LIMIT; i++) if (FleetFixture.status(ams, "www.shop.test") == 200) passed++;
      assertThat(passed).isBetween(LIMIT, LIMIT + 3);
      assertThat(ams.admin().get("/metrics").body())
          .containsPattern("edgeray_fleet_rate_limit_local_total [1-9]");
    } finally {
      redis.start();
    }
    Await.until(Duration.ofSeconds(5), () -> ams.node().fleet().redisUp(), "AMS counts on Redis again");
  }

  @Test
  void redisFrozenAnswersWithinTheTimeoutFromLocalCounters() throws Exception {
    List<EdgeExtension> nodes = startAll("redisslow");
    redis.freeze(true);
    try {
      for (int i = 0; i < 10; i++) {
        long t0 = System.nanoTime();
        assertThat(FleetFixture.status(nodes.get(1), "www.shop.test")).isEqualTo(200);
        assertThat((System.nanoTime() - t0) / 1_000_000).as("request " + i + " with Redis frozen, in ms").isLessThan(1_000);
      }
      Await.until(Duration.ofSeconds(2), () -> !fra.node().fleet().redisUp(), "FRA gives up on the frozen Redis");
    } finally {
      redis.freeze(false);
    }
    Await.until(Duration.ofSeconds(5), () -> fra.node().fleet().redisUp(), "FRA counts on Redis again");
  }
}
