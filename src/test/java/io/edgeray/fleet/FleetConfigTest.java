package io.edgeray.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.Await;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.EtcdProcess;
import io.edgeray.testing.FaultyOrigin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two nodes on one etcd: the fleet's config reaches both through the reload path, a bad one is
 * refused, and etcd going away and coming back costs the visitors nothing.
 */
class FleetConfigTest {
  private static EtcdProcess etcd;
  private static FaultyOrigin origin;

  @RegisterExtension final EdgeExtension a = EdgeExtension.create().node("AMS");
  @RegisterExtension final EdgeExtension b = EdgeExtension.create().node("FRA");

  @BeforeAll
  static void stores() throws Exception {
    etcd = EtcdProcess.started();
    origin = FaultyOrigin.start();
  }

  @AfterAll
  static void stop() {
    if (origin != null) origin.close();
    if (etcd != null) etcd.close();
  }

  private String prefix;

  private void startBoth(String testName) throws Exception {
    prefix = "/" + testName;
    FleetFixture.write(etcd::url, prefix, FleetFixture.shared(origin.port(), List.of("www"), ""));
    a.start(FleetFixture.nodeYaml(etcd.url(), prefix, "Amsterdam", ""), "");
    b.start(FleetFixture.nodeYaml(etcd.url(), prefix, "Frankfurt", ""), "");
  }

  @Test
  void nodesStartWithTheFleetsZonesFromEtcd() throws Exception {
    startBoth("start");
    assertThat(FleetFixture.status(a, "www.shop.test")).isEqualTo(200);
    assertThat(FleetFixture.status(b, "www.shop.test")).isEqualTo(200);
    assertThat(b.node().fleet().revision()).isPositive();
    assertThat(b.admin().get("/healthz").body())
        .startsWith("ok FRA (fleet config revision " + b.node().fleet().revision() + ")");
  }

  @Test
  void recordAddedInEtcdIsAnsweredByEveryNodeWithinOneSecondOver100Changes() throws Exception {
    startBoth("propagation");
    List<String> names = new ArrayList<>(List.of("www"));
    List<Long> millis = new ArrayList<>();
    try (FleetConfigStore store = new FleetConfigStore(List.of(java.net.URI.create(etcd.url())), prefix)) {
      for (int i = 0; i < 100; i++) {
        String name = "r" + i;
        names.add(name);
        store.write(FleetFixture.shared(origin.port(), names, ""));
        long t0 = System.nanoTime(); // from the write's answer: what every node then does by itself
        Await.until(Duration.ofSeconds(1), () -> FleetFixture.status(b, name + ".shop.test") == 200,
            "node B answers " + name + ".shop.test from etcd");
        millis.add((System.nanoTime() - t0) / 1_000_000);
        Await.until(Duration.ofSeconds(1), () -> FleetFixture.status(a, name + ".shop.test") == 200,
            "node A answers " + name + ".shop.test from etcd");
      }
    }
    Collections.sort(millis);
    System.out.printf("fleet propagation over %d changes, write to node B answering: median %d ms, max %d ms%n",
        millis.size(), millis.get(millis.size() / 2), millis.get(millis.size() - 1));
    assertThat(millis.get(millis.size() - 1)).isLessThan(1000);
  }

  @Test
  void badConfigWrittenToEtcdIsRefusedWithItsLineAndTheOldOneKept() throws Exception {
    startBoth("bad");
    long good = b.node().fleet().revision();
    long bad = etcd.put(prefix + "/config", FleetFixture.shared(origin.port(), List.of("www"), "ssl: sometimes"));
    Await.until(Duration.ofSeconds(2), () -> b.node().fleet().problem() != null, "node B refuses revision " + bad);
    assertThat(b.node().fleet().problem()).isEqualTo("config revision " + bad + " refused: etcd:/bad/config@" + bad
        + ":4: zones[0].ssl: \"sometimes\" is not an SSL mode (off, flexible, full, full_strict or strict)");
    assertThat(b.node().fleet().revision()).isEqualTo(good);
    assertThat(FleetFixture.status(b, "www.shop.test")).isEqualTo(200);
    assertThat(b.admin().get("/metrics").body()).contains("edgeray_fleet_config_refused_total 1.0");
    assertThat(b.admin().get("/healthz").body()).contains("refused");
  }

  @Test
  void etcdStoppedNodesKeepServingAndSaySoThenCatchUpWhenItReturns() throws Exception {
    startBoth("outage");
    etcd.stop();
    try {
      Await.until(Duration.ofSeconds(5), () -> !b.node().fleet().etcdConnected(), "node B notices etcd is gone");
      assertThat(FleetFixture.status(b, "www.shop.test")).isEqualTo(200);
      assertThat(b.admin().get("/healthz").body()).contains("etcd unreachable");
      assertThat(b.admin().get("/metrics").body()).contains("edgeray_fleet_etcd_up 0.0");
    } finally {
      etcd.start();
    }
    long changed = FleetFixture.write(etcd::url, prefix, FleetFixture.shared(origin.port(), List.of("www", "back"), ""));
    Await.until(Duration.ofSeconds(5), () -> FleetFixture.status(b, "back.shop.test") == 200, "node B catches up");
    Await.until(Duration.ofSeconds(5), () -> b.node().fleet().etcdConnected(), "node B watches again");
    assertThat(b.node().fleet().revision()).isEqualTo(changed);
    assertThat(b.node().fleet().problem()).isNull();
    assertThat(b.admin().get("/metrics").body()).contains("edgeray_fleet_etcd_up 1.0");
  }
}
