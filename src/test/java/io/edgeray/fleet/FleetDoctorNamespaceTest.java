package io.edgeray.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.testing.Await;
import io.edgeray.testing.ExternalCommand;
import io.edgeray.testing.NetNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgeray doctor HOST --fleet} when one node's egress is blocked by a firewall. A firewall
 * sees only the packets of its own network namespace, so etcd, the origin, both nodes (each a JVM
 * of its own) and the command all run inside one the test creates, on its {@code lo}: AMS leaves
 * from 127.0.0.2, which the origin's rule drops, SIN from 127.0.0.3, which gets through.
 */
class FleetDoctorNamespaceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir Path dir;

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void doctorFleetSaysTheOriginTimesOutFromTheNodeWhoseEgressAFirewallDropsOnly() throws Exception {
    assumeTrue(NetNamespace.available(), "needs root and ip netns (CI runs as root)");
    assumeTrue(ExternalCommand.find("nft").isPresent(), "nft is not installed (Debian: apt-get install nftables)");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/etcd")), "etcd is not installed (apt-get install etcd-server)");
    try (NetNamespace ns = NetNamespace.create()) {
      // etcd's own output to a file: nobody reads its pipes
      ns.exec(List.of("sh", "-c", "exec /usr/bin/etcd --name t --data-dir " + dir.resolve("etcd")
          + " --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379"
          + " --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380"
          + " --initial-cluster t=http://127.0.0.1:2380 --log-level warn >" + dir.resolve("etcd.log") + " 2>&1"));
      int port = ns.startOrigin("127.0.0.1");
      ns.firewall("127.0.0.2", port, "drop");
      Await.until(Duration.ofSeconds(30), () -> curl(ns, "http://127.0.0.1:2379/health").contains("true"), "etcd in " + ns.name());

      Path site = Files.writeString(dir.resolve("site.yaml"), "node: IMPORT\nlisten: { http: 127.0.0.1:18000 }\n"
          + "timeouts: { connect: 1s }\n" // the edge's 522 comes before the doctor's own 3 s probe gives up
          + "zones:\n  - name: shop.test\n    origin_ports: { http: " + port + " }\n"
          + "    records:\n      - { type: A, name: www, content: 127.0.0.1, proxied: true }\n");
      NetNamespace.JavaProcess imported = ns.javaProcess("io.edgeray.cli.Main",
          List.of("fleet", "import", site.toString(), "--etcd", "http://127.0.0.1:2379", "--prefix", "/ns"));
      assertThat(imported.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(imported.process().exitValue()).as(imported.stderrText()).isZero();

      node(ns, "AMS", "Amsterdam", 18080, "127.0.0.2");
      Path sin = node(ns, "SIN", "Singapore", 18090, "127.0.0.3");
      Await.until(WAIT, () -> curl(ns, "-H", "Host: www.shop.test", "http://127.0.0.1:18090/").equals("200"), "SIN serves");
      Await.until(WAIT, () -> curl(ns, "-H", "Host: www.shop.test", "http://127.0.0.1:18080/").equals("522"),
          "AMS answers 522: its connects from 127.0.0.2 are dropped");

      NetNamespace.JavaProcess doctor = ns.javaProcess("io.edgeray.cli.Main",
          List.of("doctor", "www.shop.test", "--fleet", "--config", sin.toString(), "--format", "json"));
      assertThat(doctor.process().waitFor(90, TimeUnit.SECONDS)).isTrue();
      assertThat(doctor.process().exitValue()).as(doctor.stderrText() + doctor.stdoutText()).isEqualTo(1);
      JsonNode r = JSON.readTree(doctor.stdoutText());
      assertThat(r.path("summary").asText()).isEqualTo("times out from AMS only: a path or firewall problem near AMS, not the origin");
      JsonNode ams = r.path("locations").get(0);
      assertThat(ams.path("node").asText()).isEqualTo("AMS");
      assertThat(ams.path("failure").asText()).isEqualTo("CONNECT_TIMEOUT");
      assertThat(ams.path("code").asInt()).isEqualTo(522);
      assertThat(ams.path("cause").asText()).isEqualTo("firewall_blocks_edge");
      JsonNode sinRow = r.path("locations").get(1);
      assertThat(sinRow.path("node").asText()).isEqualTo("SIN");
      assertThat(sinRow.path("location").asText()).isEqualTo("Singapore");
      assertThat(sinRow.path("cause").asText()).isEqualTo("healthy");
    }
  }

  /** A node JVM in the namespace, leaving towards origins from {@code egress}; admin on http + 1. */
  private Path node(NetNamespace ns, String name, String location, int http, String egress) throws Exception {
    Path config = Files.writeString(dir.resolve(name + ".yaml"), "node: " + name + "\nwarm_up: false\n"
        + "listen: { http: 127.0.0.1:" + http + " }\n"
        + "admin: 127.0.0.1:" + (http + 1) + "\n"
        + "access_log: " + dir.resolve(name + "-access.jsonl") + "\n"
        + "edge: { egress: [" + egress + "] }\n"
        + "fleet: { etcd: [http://127.0.0.1:2379], prefix: /ns, location: " + location + ", lease: 3s }\n");
    NetNamespace.JavaProcess p = ns.javaProcess("io.edgeray.cli.Main", List.of("serve", "--config", config.toString()));
    Await.until(WAIT, () -> p.stderrText().contains("listening on") || p.stdoutText().contains("listening on"),
        name + " started in " + ns.name());
    return config;
  }

  /** curl inside the namespace: the status code, or the body for /health; "" when it could not run. */
  private static String curl(NetNamespace ns, String... args) {
    try {
      List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-s", "--max-time", "10"));
      boolean health = args[args.length - 1].endsWith("/health");
      if (!health) cmd.addAll(List.of("-o", "/dev/null", "-w", "%{http_code}"));
      cmd.addAll(List.of(args));
      return ns.run(Duration.ofSeconds(20), cmd.toArray(String[]::new)).stdout().trim();
    } catch (Exception e) {
      return "";
    }
  }
}
