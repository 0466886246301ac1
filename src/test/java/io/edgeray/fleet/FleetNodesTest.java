package io.edgeray.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.testing.Await;
import io.edgeray.testing.CliProcess;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.EtcdProcess;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.Ports;
import io.edgeray.testing.RawClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nodes know each other through their registrations; a node as its own process (egress from
 * 127.0.0.2) survives a restart without etcd on its saved config and leaves the list when killed.
 */
class FleetNodesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static EtcdProcess etcd;
  private static FaultyOrigin origin;

  @RegisterExtension final EdgeExtension ams = EdgeExtension.create().node("AMS");

  private Path dir;
  private Process process;

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

  @AfterEach
  void cleanUp() throws IOException {
    kill();
    if (!etcd.running()) etcd.start();
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private JsonNode nodes(EdgeExtension edge) throws Exception {
    var r = edge.admin().get("/api/fleet/nodes");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    assertThat(r.header("Cache-Control")).isEqualTo("no-store");
    return JSON.readTree(r.body());
  }

  private static List<String> names(JsonNode listing) {
    List<String> names = new ArrayList<>();
    listing.get("nodes").forEach(n -> names.add(n.get("name").asText()));
    return names;
  }

  @Test
  void theNodeListShowsEachNodeWithItsLocationRevisionAndLastSeenAndFlagsOneBehind() throws Exception {
    long revision = FleetFixture.write(etcd::url, "/list", FleetFixture.shared(origin.port(), List.of("www"), ""));
    ams.start(FleetFixture.nodeYaml(etcd.url(), "/list", "Amsterdam", ""), "");
    etcd.put("/list/nodes/OLD", "{\"name\":\"OLD\",\"location\":\"Lisbon\",\"admin_url\":null,\"version\":\"0.0.1\","
        + "\"revision\":1,\"started\":\"2026-01-01T00:00:00Z\",\"seen\":\"2026-01-01T00:00:00Z\",\"config_problem\":null}");

    Await.until(Duration.ofSeconds(5), () -> {
      try {
        return names(nodes(ams)).equals(List.of("AMS", "OLD"));
      } catch (Exception e) {
        return false;
      }
    }, "AMS and OLD listed");
    JsonNode listing = nodes(ams);
    assertThat(listing.get("config_revision").asLong()).isEqualTo(revision);
    JsonNode me = listing.get("nodes").get(0);
    assertThat(me.get("location").asText()).isEqualTo("Amsterdam");
    assertThat(me.get("admin_url").asText()).isEqualTo("http://127.0.0.1:" + ams.node().adminAddress().getPort());
    assertThat(me.get("revision").asLong()).isEqualTo(revision);
    assertThat(me.get("behind").asBoolean()).isFalse();
    assertThat(me.get("seen_seconds_ago").asLong()).isBetween(0L, 10L);
    JsonNode old = listing.get("nodes").get(1);
    assertThat(old.get("behind").asBoolean()).isTrue();
    assertThat(old.get("last_seen").asText()).isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void aNodeProcessRestartedWithoutEtcdServesItsLastConfigCatchesUpAndLeavesTheListWhenKilled() throws Exception {
    FleetFixture.write(etcd::url, "/proc", FleetFixture.shared(origin.port(), List.of("www"), ""));
    ams.start(FleetFixture.nodeYaml(etcd.url(), "/proc", "Amsterdam", ""), "");
    dir = Files.createTempDirectory("edgeray-fleet-node");
    int http = Ports.closedPort();
    int admin = Ports.closedPort();
    Files.writeString(dir.resolve("sin.yaml"), "node: SIN\nwarm_up: false\n"
        + "listen: { http: 127.0.0.1:" + http + " }\n"
        + "admin: 127.0.0.1:" + admin + "\n"
        + "access_log: access.jsonl\n"
        + "edge: { egress: [127.0.0.2] }\n" // its own source address towards origins
        + "fleet: { etcd: [" + etcd.url() + "], prefix: /proc, location: Singapore, lease: 3s }\n");
    InetSocketAddress sin = new InetSocketAddress(Ports.LOOPBACK, http);

    launch();
    Await.until(Duration.ofSeconds(60), () -> status(sin, "www.shop.test") == 200, "the SIN process serves the fleet's zone");
    Await.until(Duration.ofSeconds(5), () -> listed(ams, "SIN"), "SIN registered");
    List<io.edgeray.testing.ReceivedRequest> got = origin.requests();
    assertThat(got.get(got.size() - 1).remote().getAddress().getHostAddress()).isEqualTo("127.0.0.2");
    assertThat(Files.readString(dir.resolve("state/fleet-SIN.yaml"))).contains("name: \"www\"");

    kill();
    Await.until(Duration.ofSeconds(10), () -> !listed(ams, "SIN"), "SIN gone from the list once its 3 s lease ran out");

    etcd.stop();
    launch();
    Await.until(Duration.ofSeconds(60), () -> status(sin, "www.shop.test") == 200,
        "SIN, restarted without etcd, serves the config it saved");
    InetSocketAddress sinAdmin = new InetSocketAddress(Ports.LOOPBACK, admin);
    Await.until(Duration.ofSeconds(5), () -> health(sinAdmin).contains("etcd unreachable"), "SIN's /healthz says etcd is away");
    assertThat(health(sinAdmin)).startsWith("ok SIN (fleet config revision ");

    etcd.start();
    FleetFixture.write(etcd::url, "/proc", FleetFixture.shared(origin.port(), List.of("www", "new"), ""));
    Await.until(Duration.ofSeconds(10), () -> status(sin, "new.shop.test") == 200, "SIN catches up when etcd is back");
  }

  private void launch() throws IOException {
    List<String> command = new ArrayList<>(CliProcess.start(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1")));
    command.addAll(List.of("serve", "--config", dir.resolve("sin.yaml").toString()));
    process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sin.log").toFile())).start();
  }

  private void kill() {
    if (process == null) return;
    process.destroyForcibly(); // SIGKILL: no goodbye, the lease has to run out
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  private boolean listed(EdgeExtension edge, String name) {
    try {
      return names(nodes(edge)).contains(name);
    } catch (Exception e) {
      return false;
    }
  }

  private static String health(InetSocketAddress admin) {
    try {
      return RawClient.get(admin, "localhost", "/healthz").body();
    } catch (IOException e) {
      return "";
    }
  }

  private static int status(InetSocketAddress edge, String host) {
    try {
      return RawClient.get(edge, host, "/").status();
    } catch (IOException e) {
      return -1;
    }
  }
}
