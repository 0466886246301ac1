package io.edgeray.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgeray ips} prints the config's egress ranges for the origin side. */
class IpsCommandTest {
  @TempDir Path dir;
  private Path config;

  @BeforeEach
  void write() throws Exception {
    config = dir.resolve("edge.yaml");
    Files.writeString(config, """
        node: AMS
        listen: { http: 127.0.0.1:8080 }
        edge: { egress: [127.0.0.2, "2001:db8:1::/48"] }
        zones: []
        """);
  }

  @Test
  void withoutFormatPrintsOneBlockALine() {
    CliRun r = CliRun.of("ips", "--config", config.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("127.0.0.2/32\n2001:db8:1::/48\n");
  }

  @Test
  void nginxFormatHasRealIpLinesAndAnEdgeOnlyGuardForEveryBlock() {
    CliRun r = CliRun.of("ips", "--config", config.toString(), "--format", "nginx");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("set_real_ip_from 127.0.0.2/32;", "set_real_ip_from 2001:db8:1::/48;",
        "real_ip_header Edge-Connecting-IP;", "    127.0.0.2/32 1;", "if ($edgeray_edge = 0) {");
  }

  @Test
  void nftFormatNamesBothFamilies() {
    CliRun r = CliRun.of("ips", "--config", config.toString(), "--format", "NFT");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("127.0.0.2/32", "2001:db8:1::/48");
  }

  @Test
  void unknownFormatExitsTwoAndListsTheFormats() {
    CliRun r = CliRun.of("ips", "--config", config.toString(), "--format", "pf");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().trim()).isEqualTo("edgeray ips: \"pf\" is not a format (nginx, apache, iptables, nft, ufw)");
  }

  @Test
  void brokenConfigExitsOneWithTheLine() throws Exception {
    Files.writeString(config, "node: AMS\nlisten: { http: 127.0.0.1:8080 }\nedge: { egress: [nonsense] }\nzones: []\n");
    CliRun r = CliRun.of("ips", "--config", config.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith(config + ":3: edge.egress[0]:");
  }
}
