package io.edgeray.config.load;

import io.edgeray.config.Zone;
import io.edgeray.config.Timeouts;
import io.edgeray.config.OriginPorts;
import io.edgeray.config.HostPort;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.DnsRecord;
import io.edgeray.config.ConfigException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

  private static final String GOOD = """
      node: AMS
      listen: { http: 127.0.0.1:8080 }
      admin: 127.0.0.1:9090
      access_log: logs/access.jsonl
      zones:
        - name: shop.example
          origin_ports: { http: 8000, https: 8443 }
          timeouts: { connect: 19s, read: 125s, write: 30s }
          records:
            - { type: A,     name: "@",   content: 127.0.0.1,    proxied: true }
            - { type: CNAME, name: "www", content: shop.example, proxied: true }
            - { type: A,     name: "api", content: 127.0.0.1,    proxied: true }
      resolver: system
      """;

  @Test
  void theIssueExampleLoadsWithEveryValue() throws Exception {
    EdgeConfig c = ConfigLoader.parse("edge.yaml", GOOD);
    assertThat(c.node()).isEqualTo("AMS");
    assertThat(c.httpListen()).isEqualTo(new HostPort("127.0.0.1", 8080));
    assertThat(c.adminListen()).isEqualTo(new HostPort("127.0.0.1", 9090));
    assertThat(c.resolvers()).isEmpty();
    Zone z = c.zones().get(0);
    assertThat(z.originPorts()).isEqualTo(new OriginPorts(8000, 8443));
    assertThat(z.timeouts()).isEqualTo(new Timeouts(Duration.ofSeconds(19), Duration.ofSeconds(125), Duration.ofSeconds(30)));
    assertThat(z.records()).extracting(DnsRecord::name)
        .containsExactly("shop.example", "www.shop.example", "api.shop.example");
    assertThat(z.records().get(1).line()).isEqualTo(11);
  }

  @Test
  void zoneTimeoutsOverrideTheTopLevelOnesKeyByKey() throws Exception {
    EdgeConfig c = ConfigLoader.parse("e.yaml", """
        node: X
        listen: { http: 127.0.0.1:0 }
        timeouts: { connect: 2s, read: 3s }
        zones:
          - name: a.example
            timeouts: { read: 500ms }
        """);
    assertThat(c.zones().get(0).timeouts())
        .isEqualTo(new Timeouts(Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(30)));
  }

  @Test
  void aBadDurationNamesFileLineAndKey() {
    String bad = GOOD.replace("connect: 19s", "connect: 19x");
    assertThatThrownBy(() -> ConfigLoader.parse("edge.yaml", bad))
        .isInstanceOf(ConfigException.class)
        .hasMessage("edge.yaml:8: zones[0].timeouts.connect: \"19x\" is not a duration (write it as 500ms, 19s, 2m or 1h)");
  }

  @Test
  void aMisspeltKeyIsRejectedNotIgnored() {
    String bad = GOOD.replace("origin_ports:", "origin_port:");
    assertThatThrownBy(() -> ConfigLoader.parse("edge.yaml", bad))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("edge.yaml:7: zones[0].origin_port: unknown key");
  }

  @Test
  void anARecordMustHoldAnIpv4Address() {
    String bad = GOOD.replace("name: \"api\", content: 127.0.0.1", "name: \"api\", content: origin.example");
    assertThatThrownBy(() -> ConfigLoader.parse("edge.yaml", bad))
        .hasMessage("edge.yaml:12: zones[0].records[2].content: \"origin.example\" is not an IPv4 address");
  }

  @Test
  void onlyAddressRecordsCanBeProxied() {
    String bad = GOOD.replace("- { type: A,     name: \"api\", content: 127.0.0.1,    proxied: true }",
        "- { type: TXT,   name: \"api\", content: hello,        proxied: true }");
    assertThatThrownBy(() -> ConfigLoader.parse("edge.yaml", bad))
        .hasMessage("edge.yaml:12: zones[0].records[2].proxied: only A, AAAA and CNAME records can be proxied, not TXT");
  }

  @Test
  void aCnameMustStandAlone() {
    String bad = GOOD.replace("name: \"api\"", "name: \"www\"");
    assertThatThrownBy(() -> ConfigLoader.parse("edge.yaml", bad))
        .hasMessageContaining("edge.yaml:12:")
        .hasMessageContaining("www.shop.example has a CNAME and another record");
  }

  @Test
  void brokenYamlSaysWhereItBroke() {
    assertThatThrownBy(() -> ConfigLoader.parse("edge.yaml", "node: AMS\nlisten: { http: 127.0.0.1:8080\nzones: []\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("edge.yaml:")
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void missingRequiredKeysAreNamed() {
    assertThatThrownBy(() -> ConfigLoader.parse("edge.yaml", "node: AMS\nzones: []\n"))
        .hasMessage("edge.yaml:1: listen: is required");
  }

  @Test
  void aDuplicateZoneIsRejectedWithBothLines() {
    assertThatThrownBy(() -> ConfigLoader.parse("e.yaml", """
        node: X
        listen: { http: 127.0.0.1:0 }
        zones:
          - name: a.example
          - name: A.example.
        """)).hasMessage("e.yaml:5: zones[1]: zone a.example is already defined on line 4");
  }

  @Test
  void resolverMayListDnsServers() throws Exception {
    EdgeConfig c = ConfigLoader.parse("e.yaml", """
        node: X
        listen: { http: 127.0.0.1:0 }
        zones: []
        resolver: [127.0.0.1:5300, "[::1]:53", 127.0.0.2]
        """);
    assertThat(c.resolvers()).containsExactly(
        new HostPort("127.0.0.1", 5300), new HostPort("::1", 53), new HostPort("127.0.0.2", 53));
  }

  @Test
  void theLongestZoneNameWinsForAHost() throws Exception {
    EdgeConfig c = ConfigLoader.parse("e.yaml", """
        node: X
        listen: { http: 127.0.0.1:0 }
        zones:
          - name: example.com
          - name: shop.example.com
        """);
    assertThat(c.zoneFor("www.shop.example.com")).map(Zone::name).contains("shop.example.com");
    assertThat(c.zoneFor("blog.example.com")).map(Zone::name).contains("example.com");
    assertThat(c.zoneFor("notexample.com")).isEmpty();
    assertThat(c.zoneFor("shop.example.com")).map(Zone::name).contains("shop.example.com");
    assertThat(c.zoneFor("example.com")).map(Zone::name).contains("example.com");
    assertThat(c.zoneFor("com")).isEmpty();
    assertThat(c.zoneFor("example.com.evil")).isEmpty();
  }

  @Test
  void aHostFindsItsZoneAmongThousands() throws Exception {
    StringBuilder zones = new StringBuilder();
    for (int i = 0; i < 5000; i++) zones.append("  - name: site").append(i).append(".example\n");
    EdgeConfig c = ConfigLoader.parse("e.yaml", "node: X\nlisten: { http: 127.0.0.1:0 }\nzones:\n" + zones);
    assertThat(c.zones()).hasSize(5000);
    assertThat(c.zones().get(4321).name()).isEqualTo("site4321.example");
    assertThat(c.zoneFor("www.site4321.example")).map(Zone::name).contains("site4321.example");
    assertThat(c.zoneFor("site5000.example")).isEmpty();
  }
}
