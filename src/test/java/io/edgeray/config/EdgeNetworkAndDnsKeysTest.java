package io.edgeray.config;

import io.edgeray.config.load.ConfigLoader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The keys issue 6 added: edge.addresses, edge.egress, dns, and a zone's paused. */
class EdgeNetworkAndDnsKeysTest {
  private static final String BASE = """
      node: ams
      listen:
        http: 127.0.0.1:8080
      """;
  private static final String ZONE = """
      zones:
        - name: shop.example
      """;

  private static EdgeConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse("edge.yaml", yaml);
  }

  @Test
  void edgeAddressesAndEgressAreRead() throws Exception {
    EdgeConfig config = parse(BASE + """
        edge:
          addresses: [203.0.113.10, "2001:db8::10"]
          egress: [127.0.0.2, 127.0.0.3/32, "2001:db8:1::/48"]
        dns: 127.0.0.1:5353
        """ + ZONE);
    assertThat(config.edge().addresses()).containsExactly(
        InetAddress.getByName("203.0.113.10"), InetAddress.getByName("2001:db8::10"));
    assertThat(config.edge().ipv4Addresses()).containsExactly(InetAddress.getByName("203.0.113.10"));
    assertThat(config.edge().ipv6Addresses()).containsExactly(InetAddress.getByName("2001:db8::10"));
    assertThat(config.edge().egress()).extracting(Cidr::toString)
        .containsExactly("127.0.0.2/32", "127.0.0.3/32", "2001:db8:1::/48");
    assertThat(config.dnsListen()).isEqualTo(new HostPort("127.0.0.1", 5353));
  }

  @Test
  void withoutTheKeysThereIsNoDnsServerNoEdgeAddressAndNoPausedZone() throws Exception {
    EdgeConfig config = parse(BASE + ZONE);
    assertThat(config.edge()).isEqualTo(EdgeNetwork.NONE);
    assertThat(config.dnsListen()).isNull();
    assertThat(config.zones().get(0).paused()).isFalse();
  }

  @Test
  void aZoneCanBePaused() throws Exception {
    EdgeConfig config = parse(BASE + """
        zones:
          - name: shop.example
            paused: true
          - name: blog.example
            paused: no
        """);
    assertThat(config.zones()).extracting(Zone::paused).containsExactly(true, false);
  }

  @Test
  void aBadEdgeAddressIsReportedWithItsLineAndKey() {
    assertThatThrownBy(() -> parse(BASE + """
        edge:
          addresses:
            - 203.0.113.10
            - edge.example
        """ + ZONE))
        .hasMessage("edge.yaml:7: edge.addresses[1]: \"edge.example\" is not an IP address");
  }

  @Test
  void anEgressBlockWithHostBitsIsReported() {
    assertThatThrownBy(() -> parse(BASE + """
        edge:
          egress: [10.0.0.5/24]
        """ + ZONE))
        .hasMessage("edge.yaml:5: edge.egress[0]: \"10.0.0.5/24\" has host bits set; the block is 10.0.0.0/24");
  }

  @Test
  void anUnknownKeyUnderEdgeIsRejected() {
    assertThatThrownBy(() -> parse(BASE + """
        edge:
          adresses: [203.0.113.10]
        """ + ZONE))
        .hasMessageStartingWith("edge.yaml:5: edge.adresses: unknown key (known here: addresses, egress)");
  }

  @Test
  void pausedMustBeTrueOrFalse() {
    assertThatThrownBy(() -> parse(BASE + """
        zones:
          - name: shop.example
            paused: maybe
        """))
        .hasMessage("edge.yaml:6: zones[0].paused: expected true or false, found \"maybe\"");
  }

  @Test
  void theDnsServerNeedsEdgeAddressesToAnswerWith() {
    assertThatThrownBy(() -> parse(BASE + "dns: 127.0.0.1:5353\n" + ZONE))
        .hasMessage("edge.yaml:4: dns: the DNS server answers with the edge's own addresses, and edge.addresses is empty");
  }

  @Test
  void aBadDnsListenAddressIsReported() {
    assertThatThrownBy(() -> parse(BASE + "dns: 5353\n" + ZONE))
        .hasMessageStartingWith("edge.yaml:4: dns: \"5353\" is not host:port");
  }

  @Test
  void mxAndSrvTakeTheirPriorityFromTheContentOrThePriorityKey() throws Exception {
    EdgeConfig config = parse(BASE + """
        zones:
          - name: shop.example
            records:
              - { type: MX, name: "@", content: mail.shop.example, priority: 20 }
              - { type: MX, name: "@", content: 5 backup-mail.shop.example }
              - { type: SRV, name: _sip._tcp, content: 5 5060 sip.shop.example, priority: 30 }
              - { type: CAA, name: "@", content: '0 issue "letsencrypt.org"' }
        """);
    var records = config.zones().get(0).records();
    assertThat(records.get(0).content()).isEqualTo("20 mail.shop.example.");
    assertThat(records.get(0).priority()).isEqualTo(20);
    assertThat(records.get(1).content()).isEqualTo("5 backup-mail.shop.example.");
    assertThat(records.get(1).priority()).isEqualTo(5);
    assertThat(records.get(2).content()).isEqualTo("30 5 5060 sip.shop.example.");
    assertThat(records.get(3).content()).isEqualTo("0 issue \"letsencrypt.org\"");
  }

  @Test
  void recordContentDnsCannotSendIsReportedWithItsLine() {
    assertThatThrownBy(() -> parse(BASE + """
        zones:
          - name: shop.example
            records:
              - type: CAA
                name: "@"
                content: issue letsencrypt.org
        """))
        .hasMessageStartingWith("edge.yaml:9: zones[0].records[0].content: \"issue letsencrypt.org\" is not valid CAA content")
        .hasMessageEndingWith("write it like 0 issue \"letsencrypt.org\"");
  }

  @Test
  void anApexCnameMayStandBesideMxAndTxtButNotBesideAnAddress() throws Exception {
    EdgeConfig config = parse(BASE + """
        zones:
          - name: shop.example
            records:
              - { type: CNAME, name: "@", content: www.shop.example }
              - { type: MX, name: "@", content: mail.shop.example }
              - { type: TXT, name: "@", content: "v=spf1 -all" }
        """);
    assertThat(config.zones().get(0).records()).hasSize(3);
    assertThatThrownBy(() -> parse(BASE + """
        zones:
          - name: shop.example
            records:
              - { type: CNAME, name: "@", content: www.shop.example }
              - { type: A, name: "@", content: 192.0.2.1 }
        """))
        .hasMessageContaining("shop.example has a CNAME and another record");
  }
}
