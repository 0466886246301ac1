package io.edgeray.config.load;

import io.edgeray.config.ConfigException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17, "Config checking": what check-config says about listen addresses, unknown keys and YAML syntax. */
class ConfigMessagesTest {
  @TempDir Path dir;

  @Test
  void aListenAddressThatIsNotAnIpAddressIsRefusedByTheCheckNotAtStartUp() {
    assertThatThrownBy(() -> ConfigLoader.parse("edge.yaml", "node: AMS\nlisten: { http: 127.0.0.999:8080 }\nzones: []\n"))
        .hasMessage("edge.yaml:2: listen.http: \"127.0.0.999\" is not an IPv4 address (four numbers from 0 to 255, such as 127.0.0.1)");
  }

  @Test
  void anAdminAddressThatIsNotAnIpv6AddressIsRefused() {
    assertThatThrownBy(() -> ConfigLoader.parse("edge.yaml", "node: AMS\nlisten: { http: 127.0.0.1:8080 }\nadmin: \"[fe80::zz]:9090\"\nzones: []\n"))
        .hasMessage("edge.yaml:3: admin: \"fe80::zz\" is not an IPv6 address");
  }

  @Test
  void theKnownKeysOfAnUnknownKeyAreListedOnceEach() {
    String yaml = "node: AMS\nlisten: { http: 127.0.0.1:8080 }\nzones:\n  - name: shop.example\n"
        + "    timeouts: { connect: 1s, read: 2s, wirte: 3s }\n";
    assertThatThrownBy(() -> ConfigLoader.parse("edge.yaml", yaml))
        .hasMessage("edge.yaml:5: zones[0].timeouts.wirte: unknown key (known here: connect, read, write)");
    assertThatThrownBy(() -> ConfigLoader.parse("edge.yaml", yaml.replace("    timeouts: { connect: 1s, read: 2s, wirte: 3s }", "    timeout: 1s")))
        .hasMessage("edge.yaml:5: zones[0].timeout: unknown key (known here: name, origin_ports, timeouts, headers, records,"
            + " paused, ssl, always_use_https, certificate, origin_ca, load_balancers, cache, ip_access, firewall, rate_limits)");
  }

  @Test
  void aKeyIndentedLessThanItsNeighboursIsExplainedInPlainWordsWithItsKeyPath() {
    String yaml = "node: AMS\nlisten: { http: 127.0.0.1:8080 }\nzones:\n  - name: shop.example\n"
        + "    origin_ports: { http: 8000 }\n   timeouts: { connect: 1s }\n";
    assertThatThrownBy(() -> ConfigLoader.parse("edge.yaml", yaml)).hasMessage(
        "edge.yaml:6: zones[0].timeouts: not valid YAML: this line is indented differently from the lines above it"
            + " (keys of one mapping start in the same column, a nested key further right than its parent; use spaces)");
  }

  @Test
  void anUnclosedBraceIsReportedOnTheLineThatOpensIt() {
    assertThatThrownBy(() -> ConfigLoader.parse("edge.yaml", "node: AMS\nlisten: { http: 127.0.0.1:8080\nzones: []\n")).hasMessage(
        "edge.yaml:2: listen: not valid YAML: the { on this line is not closed (or two of its entries lack a comma between them)"
            + " (close it with } before line 3, with a comma between entries)");
  }

  @Test
  void aTabInTheIndentationIsNamed() {
    assertThatThrownBy(() -> ConfigLoader.parse("edge.yaml", "node: AMS\nzones:\n\t- name: a\n"))
        .hasMessage("edge.yaml:3: zones[0].name: not valid YAML: a tab character in the indentation (YAML indentation must be spaces)");
  }

  @Test
  void accessLogIsRelativeToTheConfigFileNotTheWorkingDirectory() throws Exception {
    Path file = Files.createDirectories(dir.resolve("etc")).resolve("edge.yaml");
    Files.writeString(file, "node: AMS\nlisten: { http: 127.0.0.1:8080 }\naccess_log: ../logs/access.jsonl\nzones: []\n");
    assertThat(ConfigLoader.load(file).accessLog()).isEqualTo(dir.resolve("logs/access.jsonl").toAbsolutePath().toString());
    Files.writeString(file, "node: AMS\nlisten: { http: 127.0.0.1:8080 }\naccess_log: \"-\"\nzones: []\n");
    assertThat(ConfigLoader.load(file).accessLog()).isEqualTo("-");
  }

  @Test
  void aMissingFileIsNamedByItsAbsolutePathWithoutALineNumber() {
    assertThatThrownBy(() -> ConfigLoader.load(Path.of("no-such-dir/edge.yaml")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.unreadable()).isTrue())
        .hasMessage("cannot read the config " + Path.of("no-such-dir/edge.yaml").toAbsolutePath() + ": no such file");
  }
}
