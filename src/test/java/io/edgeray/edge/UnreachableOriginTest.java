package io.edgeray.edge;

import io.edgeray.observe.RayId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.AccessLog;
import io.edgeray.testing.Await;
import io.edgeray.testing.NetNamespace;
import io.edgeray.testing.RawClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 523 made for real: the edge runs inside a network namespace the test creates, with only
 * loopback up, so the origin's address has no route and nothing can leave the namespace.
 */
class UnreachableOriginTest {
  @TempDir Path dir;

  @Test
  void originWithNoRouteGives523WithRayIdOnPageAndInLog() throws Exception {
    assumeTrue(NetNamespace.available(), "needs root and ip netns (CI runs as root)");
    Path log = dir.resolve("access.jsonl");
    Path config = dir.resolve("edge.yaml");
    Files.writeString(config, "node: NS\nwarm_up: false\nlisten: { http: 127.0.0.1:18080 }\naccess_log: " + log + "\n"
        + "zones:\n  - name: shop.example\n    records:\n"
        + "      - { type: A, name: \"@\", content: 10.9.9.9, proxied: true }\n");
    try (NetNamespace ns = NetNamespace.create()) {
      NetNamespace.JavaProcess edge = ns.javaProcess("io.edgeray.cli.Main", List.of("serve", "--config", config.toString()));
      Await.until(Duration.ofSeconds(20), () -> edge.stderrText().contains("listening on"), "edge started in " + ns.name());

      NetNamespace.Result curl = ns.run(Duration.ofSeconds(10), "curl", "-s", "-i", "-H", "Host: shop.example",
          "http://127.0.0.1:18080/");
      RawClient.Response r = RawClient.parse(curl.stdout());

      assertThat(r.status()).isEqualTo(523);
      assertThat(r.header("proxy-status")).isEqualTo("edgeray-NS; error=destination_ip_unroutable");
      assertThat(r.body()).contains("Origin is unreachable").contains(r.header("edge-ray"));
      JsonNode line = new AccessLog(log).line(r.header("edge-ray"));
      assertThat(line.get("failure").asText()).isEqualTo("UNREACHABLE");
      assertThat(line.get("detail").asText()).containsIgnoringCase("unreachable");
    }
  }
}
