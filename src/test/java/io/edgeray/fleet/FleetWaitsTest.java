package io.edgeray.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.config.ConfigException;
import io.edgeray.config.FleetSettings;
import io.edgeray.testing.Await;
import io.edgeray.testing.EtcdProcess;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a change or a purge made through one node waits for, on a real etcd with two nodes that
 * joined it: whether this node applied the revision it wrote (or refused it, and why), the other
 * nodes' acknowledgements, and that a slow purge on a node does not hold back its config watch.
 * The nodes are {@link Fleet}s on their own; what they apply is recorded, or refused on purpose.
 */
class FleetWaitsTest {
  private static EtcdProcess etcd;
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void store() throws Exception {
    etcd = EtcdProcess.started();
  }

  @AfterAll
  static void stop() {
    if (etcd != null) etcd.close();
  }

  @AfterEach
  void leave() throws Exception {
    for (AutoCloseable c : open) c.close();
  }

  /** A node in the fleet {@code prefix}, applying (or refusing) through {@code applier} and purging through {@code purger}. */
  private Fleet join(String prefix, String node, ConfigApplier applier, PurgeApplier purger) throws Exception {
    Path file = Files.writeString(dir.resolve(node + ".yaml"), "node: " + node + "\n");
    FleetSettings settings = new FleetSettings(List.of(URI.create(etcd.url())), prefix, node, node, null, null,
        Duration.ofSeconds(10), Duration.ofMillis(100));
    Fleet f = Fleet.join(settings, file, 0, applier, purger, new PrometheusRegistry(), "test", null);
    open.add(0, f);
    assertThat(f.awaitFirstSync()).as(node + " reads etcd").isTrue();
    return f;
  }

  private static ConfigApplier recording(AtomicLong applied) {
    return (config, source) -> applied.set(config.revision());
  }

  @Test
  void aRevisionThisNodeRefusesIsReportedRefusedWithItsLineAndKeyWhileEtcdKeepsIt() throws Exception {
    String prefix = "/refused";
    long first = FleetFixture.write(etcd::url, prefix, "zones: []\n");
    Fleet a = join(prefix, "AMS", (config, source) -> {
      if (config.yaml().contains("refuse-me")) {
        throw new ConfigException(source, 2, "zones[0].name", "refused by this node's own file");
      }
    }, (zone, purge) -> {});
    Await.until(Duration.ofSeconds(2), () -> a.revision() == first, "AMS serves the first revision");

    long written = a.change("zones:\n  - name: refuse-me\n", first);
    Fleet.ChangeOutcome outcome = a.applied(written).get(5, TimeUnit.SECONDS);

    assertThat(outcome.here()).isEqualTo(Fleet.ChangeOutcome.Here.REFUSED);
    assertThat(outcome.revision()).isEqualTo(written);
    assertThat(outcome.problem()).isEqualTo("etcd:" + prefix + "/config@" + written + ":2: zones[0].name: refused by this node's own file");
    assertThat(outcome.key()).isEqualTo("zones[0].name");
    assertThat(a.revision()).isEqualTo(first);
    try (FleetConfigStore store = new FleetConfigStore(List.of(URI.create(etcd.url())), prefix)) {
      assertThat(store.read().revision()).isEqualTo(written); // the fleet has it all the same
    }
  }

  @Test
  void aChangeThisNodeAppliesIsReportedAppliedAndARevisionAlreadyAppliedAnswersAtOnce() throws Exception {
    String prefix = "/applied";
    long first = FleetFixture.write(etcd::url, prefix, "zones: []\n");
    AtomicLong applied = new AtomicLong();
    Fleet a = join(prefix, "AMS", recording(applied), (zone, purge) -> {});
    Await.until(Duration.ofSeconds(2), () -> a.revision() == first, "AMS serves the first revision");

    long written = a.change("zones: [] # changed\n", first);
    Fleet.ChangeOutcome outcome = a.applied(written).get(5, TimeUnit.SECONDS);

    assertThat(outcome.here()).isEqualTo(Fleet.ChangeOutcome.Here.APPLIED);
    assertThat(applied.get()).isEqualTo(written);
    assertThat(a.applied(first).isDone()).isTrue();
    assertThat(a.applied(first).get().here()).isEqualTo(Fleet.ChangeOutcome.Here.APPLIED);
  }

  @Test
  void aPurgeIsConfirmedByTheOtherNodeOnceItsCacheIsPurgedAndNotBefore() throws Exception {
    String prefix = "/purged";
    FleetFixture.write(etcd::url, prefix, "zones: []\n");
    CountDownLatch purging = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<String> purgedOnB = new java.util.concurrent.CopyOnWriteArrayList<>();
    Fleet a = join(prefix, "AMS", (config, source) -> {}, (zone, purge) -> {});
    join(prefix, "FRA", (config, source) -> {}, (zone, purge) -> {
      purging.countDown();
      release.await(5, TimeUnit.SECONDS);
      purgedOnB.add(zone + " " + purge);
    });
    Await.until(Duration.ofSeconds(5), () -> registered(a).size() == 2, "AMS and FRA registered");

    CompletableFuture<Fleet.PurgeOutcome> outcome = a.purge("shop.test", "{\"everything\": true}");
    assertThat(purging.await(2, TimeUnit.SECONDS)).as("FRA starts the purge").isTrue();
    assertThat(outcome).as("no confirmation while FRA is still purging").isNotDone();
    release.countDown();

    Fleet.PurgeOutcome o = outcome.get(Fleet.CONFIRM.toMillis() + 2000, TimeUnit.MILLISECONDS);
    assertThat(o.confirmed()).containsExactly("AMS", "FRA");
    assertThat(o.unconfirmed()).isEmpty();
    assertThat(purgedOnB).containsExactly("shop.test {\"everything\": true}");
  }

  @Test
  void aPurgeStillRunningOnANodeDoesNotHoldBackItsConfigWatch() throws Exception {
    String prefix = "/slowpurge";
    FleetFixture.write(etcd::url, prefix, "zones: []\n");
    CountDownLatch purging = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicLong appliedOnB = new AtomicLong();
    Fleet a = join(prefix, "AMS", (config, source) -> {}, (zone, purge) -> {});
    Fleet b = join(prefix, "FRA", recording(appliedOnB), (zone, purge) -> {
      purging.countDown();
      release.await(10, TimeUnit.SECONDS); // a purge of a very big cache
    });
    try {
      Await.until(Duration.ofSeconds(5), () -> registered(a).size() == 2, "AMS and FRA registered");
      CompletableFuture<Fleet.PurgeOutcome> outcome = a.purge("shop.test", "{\"everything\": true}");
      assertThat(purging.await(2, TimeUnit.SECONDS)).as("FRA starts the purge").isTrue();

      long changed = FleetFixture.write(etcd::url, prefix, "zones: [] # while FRA purges\n");

      Await.until(Duration.ofSeconds(2), () -> appliedOnB.get() == changed, "FRA applies the config while its purge runs");
      assertThat(b.revision()).isEqualTo(changed);
      assertThat(outcome.get(Fleet.CONFIRM.toMillis() + 2000, TimeUnit.MILLISECONDS).unconfirmed()).containsExactly("FRA");
    } finally {
      release.countDown();
    }
  }

  private static List<String> registered(Fleet f) {
    try {
      List<String> names = new ArrayList<>();
      f.nodes().list().nodes().forEach(n -> names.add(n.name()));
      return names;
    } catch (FleetNodes.Unavailable e) {
      return List.of();
    }
  }
}
