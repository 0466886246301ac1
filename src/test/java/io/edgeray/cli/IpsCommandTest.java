package io.edgeray.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = Main.run(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void withoutFormatPrintsOneBlockALine() {
    Run r = run("ips", "--config", config.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo("127.0.0.2/32\n2001:db8:1::/48\n");
  }

  @Test
  void nginxFormatHasRealIpLinesAndAnEdgeOnlyGuardForEveryBlock() {
    Run r = run("ips", "--config", config.toString(), "--format", "nginx");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("set_real_ip_from 127.0.0.2/32;", "set_real_ip_from 2001:db8:1::/48;",
        "real_ip_header Edge-Connecting-IP;", "    127.0.0.2/32 1;", "if ($edgeray_edge = 0) {");
  }

  @Test
  void nftFormatNamesBothFamilies() {
    Run r = run("ips", "--config", config.toString(), "--format", "NFT");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("127.0.0.2/32", "2001:db8:1::/48");
  }

  @Test
  void unknownFormatExitsTwoAndListsTheFormats() {
    Run r = run("ips", "--config", config.toString(), "--format", "pf");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().trim()).isEqualTo("edgeray ips: \"pf\" is not a format (nginx, apache, iptables, nft, ufw)");
  }

  @Test
  void brokenConfigExitsOneWithTheLine() throws Exception {
    Files.writeString(config, "node: AMS\nlisten: { http: 127.0.0.1:8080 }\nedge: { egress: [nonsense] }\nzones: []\n");
    Run r = run("ips", "--config", config.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith(config + ":3: edge.egress[0]:");
  }
}
