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

  @Test
  void withNoEgressItSaysSoAndWhatToDoAndPrintsNoRules() throws Exception {
    Files.writeString(config, "node: AMS\nlisten: { http: 127.0.0.1:8080 }\nzones: []\n");
    CliRun plain = CliRun.of("ips", "--config", config.toString());
    assertThat(plain.code()).isEqualTo(1);
    assertThat(plain.out()).isEmpty();
    assertThat(plain.err()).isEqualTo("edgeray ips: no egress is configured in " + config.toAbsolutePath()
        + ". Add the addresses the edge connects to origins from, for example\n"
        + "    edge: { egress: [203.0.113.10] }\n"
        + "(see ./edgeray ips --help and the README's section on the edge's published addresses)\n");
    for (String format : new String[] {"iptables", "nft", "ufw", "nginx", "apache"}) {
      CliRun r = CliRun.of("ips", "--config", config.toString(), "--format", format);
      assertThat(r.code()).as(format).isEqualTo(1);
      assertThat(r.out()).as(format).isEmpty();
      assertThat(r.err()).as(format).startsWith("edgeray ips: no egress is configured in " + config.toAbsolutePath()
          + ", so there is nothing to let in and no " + format + " rules are printed.");
    }
  }

  @Test
  void theFirewallRulesCoverTheZonesOriginPortsAsTheirSslModesUseThem() throws Exception {
    Files.writeString(config, """
        node: AMS
        listen: { http: 127.0.0.1:8080 }
        edge: { egress: [127.0.0.2] }
        zones:
          - name: shop.example
            origin_ports: { http: 8000, https: 8443 }
            records: [ { type: A, name: "@", content: 127.0.0.1, proxied: true } ]
          - name: blog.example
            ssl: flexible
            origin_ports: { http: 8081, https: 9443 }
            records: [ { type: A, name: "@", content: 127.0.0.1, proxied: true } ]
        """);
    assertThat(CliRun.of("ips", "--config", config.toString(), "--format", "nft").out())
        .contains("\t\ttcp dport { 8000, 8081, 8443 } drop\n");
    assertThat(CliRun.of("ips", "--config", config.toString(), "--format", "iptables").out())
        .contains("iptables -I INPUT -p tcp -m multiport --dports 8000,8081,8443 -j EDGERAY\n");
    assertThat(CliRun.of("ips", "--config", config.toString(), "--format", "ufw").out())
        .contains("ufw deny proto tcp from any to any port 8000,8081,8443 comment 'edgeray: only the edge'\n");
  }

  @Test
  void theHelpDescribesTheMethodTheNginxAndApacheOutputUses() {
    String help = CliRun.of("ips", "--help").out().replaceAll("\\s+", " ");
    assertThat(help).contains("a geo block on $realip_remote_addr", "Require expr on CONN_REMOTE_ADDR");
    assertThat(help).doesNotContain("allow/deny", "Require ip)");
    String nginx = CliRun.of("ips", "--config", config.toString(), "--format", "nginx").out();
    assertThat(nginx).contains("geo $realip_remote_addr $edgeray_edge {");
    assertThat(CliRun.of("ips", "--config", config.toString(), "--format", "apache").out()).contains("%{CONN_REMOTE_ADDR}");
  }
}
