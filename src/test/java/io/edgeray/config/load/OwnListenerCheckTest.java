package io.edgeray.config.load;

import io.edgeray.config.Zone;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.ConfigException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeray.EdgeNode;
import io.edgeray.tls.DevCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: a zone whose origin is one of the edge's own listeners is refused, not served as a loop (1000). */
class OwnListenerCheckTest {
  @TempDir Path dir;

  private static String config(String listen, String zoneSettings) {
    return "node: AMS\n"
        + "listen: " + listen + "\n"
        + "zones:\n"
        + "  - name: shop.example\n"
        + zoneSettings
        + "    records:\n"
        + "      - { type: A, name: \"@\", content: 127.0.0.1, proxied: true }\n";
  }

  @Test
  void anHttpsOriginPortThatIsTheEdgesOwnHttpsListenerIsRefusedNamingTheLineAndTheListener() {
    String yaml = config("{ http: 127.0.0.1:8080, https: 127.0.0.1:8443 }", "    origin_ports: { http: 8000, https: 8443 }\n");
    assertThatThrownBy(() -> ConfigLoader.parse("edge.yaml", yaml)).isInstanceOf(ConfigException.class).hasMessage(
        "edge.yaml:7: zones[0].records[0]: shop.example's origin 127.0.0.1:8443 is this edge's own HTTPS listener"
            + " (listen.https: 127.0.0.1:8443): HTTPS visitors (ssl: full) would be sent back to the edge in a loop"
            + " (error 1000); set the zone's origin_ports.https to the port the origin serves HTTPS on,"
            + " or ssl: flexible if the origin speaks only HTTP");
  }

  @Test
  void aListenerOnEveryAddressCoversALoopbackOrigin() {
    String yaml = config("{ http: 0.0.0.0:8000 }", "    ssl: flexible\n    origin_ports: { http: 8000 }\n");
    assertThatThrownBy(() -> ConfigLoader.parse("edge.yaml", yaml)).hasMessage(
        "edge.yaml:8: zones[0].records[0]: shop.example's origin 127.0.0.1:8000 is this edge's own HTTP listener"
            + " (listen.http: 0.0.0.0:8000): HTTP visitors (ssl: flexible) would be sent back to the edge in a loop"
            + " (error 1000); set the zone's origin_ports.http to the port the origin serves HTTP on");
  }

  @Test
  void theAdminPortIsOneOfTheEdgesListenersToo() {
    String yaml = "node: AMS\nlisten: { http: 127.0.0.1:8080 }\nadmin: 127.0.0.1:9090\nzones:\n  - name: shop.example\n"
        + "    origin_ports: { http: 9090 }\n    records: [ { type: A, name: \"@\", content: 127.0.0.1, proxied: true } ]\n";
    assertThatThrownBy(() -> ConfigLoader.parse("edge.yaml", yaml))
        .hasMessageContaining("edge.yaml:7: zones[0].records[0]: shop.example's origin 127.0.0.1:9090 is this edge's own admin port (admin: 127.0.0.1:9090)");
  }

  @Test
  void anHttpsPortEqualToTheListenerIsFineWhenNoHttpsVisitorsCanComeOrFlexibleSendsThemToHttp() throws Exception {
    ConfigLoader.parse("edge.yaml", config("{ http: 127.0.0.1:8080 }", "    origin_ports: { http: 8000, https: 8080 }\n    ssl: flexible\n"));
    ConfigLoader.parse("edge.yaml", config("{ http: 127.0.0.1:8080, https: 127.0.0.1:8443 }",
        "    origin_ports: { http: 8000, https: 8443 }\n    ssl: flexible\n"));
  }

  @Test
  void theShippedConfigWithHttpsTurnedOnAsItsCommentsSayIsValidAndDoesNotLoop() throws Exception {
    // the README's HTTPS steps, done to a copy: the certificate, listen.https, and the two commented lines
    Path config = Files.createDirectories(dir.resolve("config")).resolve("edgeray.yaml");
    DevCertificate.write("shop.example", dir.resolve("certs"), Duration.ofDays(1));
    String shipped = Files.readString(Path.of("config/edgeray.yaml"));
    String https = shipped
        .replace("listen: { http: 127.0.0.1:8080 }", "listen: { http: 127.0.0.1:8080, https: 127.0.0.1:8443 }")
        .replace("    # ssl: flexible ", "    ssl: flexible   ")
        .replace("    # certificate: ", "    certificate: ");
    assertThat(https).contains("https: 127.0.0.1:8443 }", "\n    ssl: flexible", "\n    certificate: {");
    Files.writeString(config, https);

    EdgeConfig c = ConfigLoader.load(config);

    Zone shop = c.zoneFor("shop.example").orElseThrow();
    assertThat(shop.tls().certificate()).isNotNull();
    assertThat(shop.originPorts().https()).isNotEqualTo(8443);
  }

  @Test
  void aReloadWhoseOriginIsTheRunningListenerIsRefusedAndTheRunningConfigStays() throws Exception {
    Path file = dir.resolve("edge.yaml");
    Files.writeString(file, config("{ http: 127.0.0.1:0 }", "    origin_ports: { http: 1 }\n"));
    try (EdgeNode node = EdgeNode.start(ConfigLoader.load(file), file)) {
      int bound = node.httpAddress().getPort();
      Files.writeString(file, config("{ http: 127.0.0.1:0 }", "    origin_ports: { http: " + bound + " }\n"));

      String error = node.reload();

      assertThat(error).isEqualTo(file + ":7: zones[0].records[0]: shop.example's origin 127.0.0.1:" + bound
          + " is this edge's own HTTP listener (listen.http: 127.0.0.1:" + bound + "): HTTP visitors (ssl: full)"
          + " would be sent back to the edge in a loop (error 1000); set the zone's origin_ports.http to the port"
          + " the origin serves HTTP on");
      assertThat(node.server().config().zones().get(0).originPorts().http()).isEqualTo(1);
    }
  }

  @Test
  void aPoolOriginThatIsTheEdgesOwnListenerIsRefusedWithItsLine() {
    String yaml = "node: AMS\nlisten: { http: 127.0.0.1:8080 }\npools:\n  - name: web\n    origins:\n"
        + "      - { name: a, address: 127.0.0.1, port: 8000 }\n      - { name: b, address: 127.0.0.1, port: 8080 }\n"
        + "zones:\n  - name: shop.example\n    load_balancers: [ { name: \"@\", pool: web } ]\n";
    assertThatThrownBy(() -> ConfigLoader.parse("edge.yaml", yaml)).hasMessage(
        "edge.yaml:7: pools[0].origins[1]: pool web's origin b at 127.0.0.1:8080 is this edge's own HTTP listener"
            + " (listen.http: 127.0.0.1:8080): its requests would be sent back to the edge in a loop (error 1000);"
            + " give the address and port the origin listens on");
  }
}
