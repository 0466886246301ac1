package io.edgeray;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.config.ConfigException;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.FleetSettings;
import io.edgeray.config.edit.ApiAnswer;
import io.edgeray.config.edit.ConfigEditor;
import io.edgeray.config.edit.ZonesApi;
import io.edgeray.fleet.ConfigApplier;
import io.edgeray.fleet.Fleet;
import io.edgeray.fleet.FleetConfigLoader;
import io.edgeray.fleet.FleetConfigStore;
import io.edgeray.fleet.SharedConfig;
import io.edgeray.testing.Await;
import io.edgeray.testing.EtcdProcess;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet node's API change, from the edit to the answer, on a real etcd: the change passes the
 * node's check and is written, and the answer then says what this node did with the revision.
 * The node's reload path is stood in for by an applier that refuses what it is told to, as a
 * node whose own file changed between the check and the watch would.
 */
class SharedConfigTextTest {
  private static EtcdProcess etcd;
  @TempDir Path dir;

  @BeforeAll
  static void store() throws Exception {
    etcd = EtcdProcess.started();
  }

  @AfterAll
  static void stop() {
    if (etcd != null) etcd.close();
  }

  @Test
  void aChangeThisNodeRefusesOnceWrittenAnswers422RefusedOnThisNodeSayingTheFleetHasIt() throws Exception {
    String prefix = "/refusedhere";
    long first;
    try (FleetConfigStore store = new FleetConfigStore(List.of(URI.create(etcd.url())), prefix)) {
      first = store.write("zones:\n  - name: shop.test\n    origin_ports: { http: 9 }\n    records:\n"
          + "      - { type: A, name: www, content: 127.0.0.1, proxied: true }\n");
    }
    Path nodeFile = Files.writeString(dir.resolve("edge.yaml"), "node: AMS\nlisten: { http: 127.0.0.1:0 }\n"
        + "fleet: { etcd: [" + etcd.url() + "], prefix: " + prefix + " }\n");
    AtomicReference<SharedConfig> served = new AtomicReference<>();
    AtomicReference<EdgeConfig> running = new AtomicReference<>();
    ConfigApplier applier = (config, source) -> {
      EdgeConfig loaded = FleetConfigLoader.load(nodeFile, config, source, null);
      if (config.yaml().contains("refused-here")) {
        throw new ConfigException(source, 7, "zones[0].records[1].name", "refused by this node");
      }
      served.set(config);
      running.set(loaded);
    };
    FleetSettings settings = new FleetSettings(List.of(URI.create(etcd.url())), prefix, "AMS", "Amsterdam", null, null,
        Duration.ofSeconds(10), Duration.ofMillis(100));
    try (Fleet fleet = Fleet.join(settings, nodeFile, 0, applier, (zone, purge) -> {}, new PrometheusRegistry(), "test", null)) {
      Await.until(Duration.ofSeconds(3), () -> fleet.revision() == first, "the node serves the first revision");
      SharedConfigText text = new SharedConfigText(nodeFile, () -> SharedConfigText.base(served.get(), running.get()),
          () -> fleet, () -> null);
      ZonesApi api = new ZonesApi(running::get, ConfigEditor.of(text));

      ApiAnswer made = api.createRecord("shop.test",
          "{\"type\": \"A\", \"name\": \"refused-here\", \"content\": \"127.0.0.1\", \"proxied\": true}".getBytes(StandardCharsets.UTF_8));
      ApiAnswer answer = made.settled().toCompletableFuture().get(5, TimeUnit.SECONDS);

      SharedConfig onEtcd;
      try (FleetConfigStore store = new FleetConfigStore(List.of(URI.create(etcd.url())), prefix)) {
        onEtcd = store.read();
      }
      long written = onEtcd.revision();
      assertThat(written).isGreaterThan(first);
      assertThat(onEtcd.yaml()).contains("name: refused-here");
      assertThat(answer.status()).as(answer.body().toString()).isEqualTo(422);
      assertThat(answer.body().at("/error/code").asText()).isEqualTo("refused_on_this_node");
      assertThat(answer.body().at("/error/message").asText()).isEqualTo("the fleet has the change (revision " + written
          + " on etcd, which the other nodes apply), but this node refused it and kept its old config (revision " + first
          + "): etcd:" + prefix + "/config@" + written + ":7: zones[0].records[1].name: refused by this node");
      assertThat(answer.body().at("/error/field").asText()).isEqualTo("zones[0].records[1].name");
      assertThat(answer.audited()).as("the change was made: it is on etcd").isTrue();
      assertThat(fleet.revision()).isEqualTo(first);
    }
  }
}
