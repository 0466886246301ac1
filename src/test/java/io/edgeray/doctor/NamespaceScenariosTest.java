package io.edgeray.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Scenarios that need addresses or firewall rules of their own: the origin, the rules and the
 * doctor (`edgeray doctor --format json`, a real process) all run inside one network namespace the
 * test creates, with a dummy interface for the extra address, so nothing can leave the machine
 * and the machine's own firewall is never touched. Deleting the namespace deletes its rules.
 */
class NamespaceScenariosTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void webServerListeningOnLoopbackOnlyWhileTheRecordPointsAtThePublicAddress() throws Exception {
    assumeTrue(NetNamespace.available(), "needs root and ip netns (CI runs as root)");
    try (NetNamespace ns = NetNamespace.create()) {
      ns.addDummy("d0", "10.200.0.1/24");
      int port = ns.startOrigin("127.0.0.1");
      Path config = config(port, "10.200.0.1", "");

      Doctored d = doctor(ns, config, "http://shop.example/");

      assertThat(d.exitCode).as(d.stderr).isEqualTo(1);
      assertThat(d.json.at("/verdict/cause").asText()).isEqualTo("listens_on_loopback_only");
      assertThat(d.json.at("/verdict/confidence").asText()).isEqualTo("high");
      assertThat(d.json.at("/verdict/evidence").asText()).isEqualTo("port " + port + " listens only on [127.0.0.1:" + port
          + "]; the record points at 10.200.0.1, where the connect is refused");
    }
  }

  @ParameterizedTest(name = "nft {0}")
  @CsvSource({"drop, timed out", "'reject with tcp reset', refused"})
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void firewallRuleAgainstTheEdgesEgressAddressOnlyIsNamedAsTheCause(String action, String seen) throws Exception {
    assumeTrue(NetNamespace.available(), "needs root and ip netns (CI runs as root)");
    assumeTrue(ExternalCommand.find("nft").isPresent(), "nft is not installed (Debian: apt-get install nftables)");
    try (NetNamespace ns = NetNamespace.create()) {
      int port = ns.startOrigin("127.0.0.1");
      ns.firewall("127.0.0.2", port, action);
      Path config = config(port, "127.0.0.1", "edge: { egress: [127.0.0.2] }\n");

      Doctored d = doctor(ns, config, "http://shop.example/");

      assertThat(d.exitCode).as(d.stderr).isEqualTo(1);
      assertThat(d.json.at("/verdict/cause").asText()).isEqualTo("firewall_blocks_edge");
      assertThat(d.json.at("/verdict/verdict").asText()).isEqualTo("a firewall on the origin blocks the edge's addresses");
      assertThat(d.json.at("/verdict/evidence").asText()).isEqualTo("a connect from the edge's egress address 127.0.0.2 is " + seen + " while one from 127.0.0.1 is accepted");
      JsonNode egress = checkOf(d.json, "egress");
      assertThat(egress.get("outcome").asText()).isEqualTo("problem");
      assertThat(egress.get("summary").asText()).isEqualTo("only the edge's address is " + seen + ": a firewall blocks the edge");
      assertThat(checkOf(d.json, "direct").get("outcome").asText()).as(d.json.toString()).isEqualTo("passed");
    }
  }

  private static JsonNode checkOf(JsonNode report, String id) {
    for (JsonNode c : report.get("checks")) if (c.get("id").asText().equals(id)) return c;
    throw new AssertionError("no check " + id + " in " + report);
  }

  private record Doctored(int exitCode, JsonNode json, String stderr) {}

  private static Doctored doctor(NetNamespace ns, Path config, String target) throws Exception {
    NetNamespace.JavaProcess p = ns.javaProcess("io.edgeray.cli.Main",
        // the doctor's probe budget covers connect and response head together, and both JVMs here
        // start cold (the first connect alone took 400 ms in CI): a roomy timeout, still bounded
        List.of("doctor", "--config", config.toString(), "--format", "json", "--timeout", "6s", target));
    assertThat(p.process().waitFor(20, TimeUnit.SECONDS)).as("doctor finished; stderr: %s", p.stderrText()).isTrue();
    return new Doctored(p.process().exitValue(), JSON.readTree(p.stdoutText()), p.stderrText());
  }

  private Path config(int port, String address, String extra) throws Exception {
    return Files.writeString(dir.resolve("edge.yaml"), "node: NS\nlisten: { http: 127.0.0.1:18080 }\naccess_log: "
        + dir.resolve("access.jsonl") + "\n" + extra + "zones:\n" + LoopbackScenariosTest.zone(port, 1, address, ""));
  }
}
