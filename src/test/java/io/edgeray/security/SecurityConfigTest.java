package io.edgeray.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeray.config.ConfigException;
import io.edgeray.config.EdgeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SecurityConfigTest {
  private final Policies policies = new Policies();

  /** The YAML example of the README's "Firewall and rate limiting" section, as pasted. */
  private static String readmeExample() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int section = readme.indexOf("## Firewall and rate limiting");
    int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
    return readme.substring(start, readme.indexOf("```", start));
  }

  @Test
  void theReadmeExampleLoadsAndDoesWhatItSays() throws Exception {
    EdgeConfig config = Policies.load("node: AMS\nlisten: { http: 127.0.0.1:8080 }\n" + readmeExample());
    SecurityPolicy p = SecurityPolicy.build(config, policies.runtime);

    assertThat(p.evaluate(Visitor.browser().ip("203.0.113.9").facts())).isInstanceOf(SecurityVerdict.IpBlocked.class);
    assertThat(p.evaluate(Visitor.browser().ip("203.0.113.7").path("/admin").facts())).isInstanceOf(SecurityVerdict.Continue.class);
    assertThat(p.evaluate(Visitor.browser().path("/admin").facts()))
        .isInstanceOfSatisfying(SecurityVerdict.FirewallBlocked.class, b -> {
          assertThat(b.ruleId()).isEqualTo("admin-office-only");
          assertThat(b.description()).isEqualTo("The admin pages are open to the office only");
        });
    assertThat(p.evaluate(Visitor.browser().ip("192.0.2.5").path("/admin").facts())).isInstanceOf(SecurityVerdict.Continue.class);
    assertThat(p.evaluate(Visitor.browser().path("/index.php").facts())).isInstanceOf(SecurityVerdict.FirewallBlocked.class);
    assertThat(p.evaluate(Visitor.browser().header("x-debug", "1").facts()).logged().rule()).isEqualTo("watch-debug");
    for (int i = 0; i < 5; i++) p.evaluate(Visitor.browser().method("POST").path("/login").facts());
    assertThat(p.evaluate(Visitor.browser().method("POST").path("/login").facts())).isInstanceOf(SecurityVerdict.RateLimited.class);
    assertThat(p.evaluate(Visitor.browser().method("POST").path("/login").header("x-partner-key", "p").facts()))
        .isInstanceOf(SecurityVerdict.Continue.class);
  }

  @Test
  void aZoneWithoutRulesHasNone() throws Exception {
    assertThat(ZoneSecurity.of(Policies.load(Policies.config("", "")).zones().get(0))).isEqualTo(ZoneSecurity.NONE);
    assertThat(IpAccessList.of(Policies.load(Policies.config("", ""))).isEmpty()).isTrue();
  }

  @Test
  void anUnknownKeyInARuleIsReportedWithTheKnownOnes() {
    assertThatThrownBy(() -> policies.zone("firewall:\n  - { id: a, expresion: 'ssl', action: block }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("edgeray.yaml:8: zones[0].firewall[0]")
        .hasMessageContaining("expression: is required");
    assertThatThrownBy(() -> policies.zone("firewall:\n  - { id: a, expression: 'ssl', action: block, enable: false }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("edgeray.yaml:8: zones[0].firewall[0].enable: unknown key (known here: id, description, expression, action, enabled)");
    assertThatThrownBy(() -> policies.zone("rate_limits:\n  - { id: a, requests: 1, period: 1m, action: block, timeout: 1m }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("zones[0].rate_limits[0].timeout: unknown key");
    assertThatThrownBy(() -> policies.zone("ip_access:\n  - { ip: 192.0.2.1, action: block, comment: x }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("edgeray.yaml:8: zones[0].ip_access[0].comment: unknown key (known here: ip, action, note, enabled)");
  }

  @Test
  void aMisspeltSectionIsAnUnknownKeyOfTheZone() {
    assertThatThrownBy(() -> policies.zone("firewall_rules: []\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("edgeray.yaml:7: zones[0].firewall_rules: unknown key (known here: ")
        .hasMessageContaining("firewall")
        .hasMessageContaining("rate_limits");
  }

  @Test
  void badActionsCharacteristicsAndIdsAreReported() {
    assertThatThrownBy(() -> policies.zone("firewall:\n  - { id: a, expression: 'ssl', action: deny }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("edgeray.yaml:8: zones[0].firewall[0].action: \"deny\" is not a firewall action (block, allow, skip_rate_limit or log)");
    assertThatThrownBy(() -> policies.zone("rate_limits:\n  - { id: a, characteristics: [ip.dst], requests: 1, period: 1m, action: block }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("edgeray.yaml:8: zones[0].rate_limits[0].characteristics[0]: \"ip.dst\" is not a characteristic");
    assertThatThrownBy(() -> policies.zone("rate_limits:\n  - { id: a, requests: 1, period: 1m, action: challenge }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("edgeray.yaml:8: zones[0].rate_limits[0].action: \"challenge\" is not a rate-limit action (block or log)");
    assertThatThrownBy(() -> policies.zone("""
        firewall:
          - { id: same, expression: 'ssl', action: log }
        rate_limits:
          - { id: same, requests: 1, period: 1m, action: block }
        """))
        .isInstanceOf(ConfigException.class)
        .hasMessage("edgeray.yaml:10: zones[0].rate_limits[0].id: rule same is already defined on line 8 (ids are unique in a zone)");
    assertThatThrownBy(() -> policies.zone("rate_limits:\n  - { id: a, requests: 0, period: 1m, action: block }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("edgeray.yaml:8: zones[0].rate_limits[0].requests: 0 is out of range 1..1000000000");
    assertThatThrownBy(() -> policies.zone("rate_limits:\n  - { id: a, requests: 1, period: 500ms, action: block }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("edgeray.yaml:8: zones[0].rate_limits[0].period: a period is 1s to 24h");
  }

  @Test
  void theEdgeWideListIsReadFromTheTopLevel() throws Exception {
    EdgeConfig config = Policies.load(Policies.config("ip_access:\n  - { ip: \"2001:db8::/32\", action: log }\n", ""));

    assertThat(IpAccessList.of(config).rules()).singleElement().satisfies(r -> assertThat(r.id()).isEqualTo("2001:db8::/32"));
  }
}
