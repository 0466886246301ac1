package io.edgeray;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.testing.AdminClient;
import io.edgeray.testing.EdgeExtension;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A running node serves its zones on its own DNS port and publishes its egress ranges on the admin
 * port; a config reload changes both at once. Addresses in answers are documentation ranges: data
 * only, never connected to.
 */
class EdgeNodeDnsAndRangesTest {

  @RegisterExtension final EdgeExtension edge = EdgeExtension.create()
      .extra(extra("127.0.0.2, \"2001:db8:1::/48\"")).zones(zones(false));

  private static String extra(String egress) {
    return """
        admin: 127.0.0.1:0
        dns: 127.0.0.1:0
        edge:
          addresses: [203.0.113.10]
          egress: [%s]
        """.formatted(egress);
  }

  private static String zones(boolean paused) {
    return """
          - name: shop.example
            paused: %s
            records:
              - { type: A, name: "@", content: 192.0.2.1, proxied: true }
        """.formatted(paused);
  }

  private List<String> addressesOf(String name) throws Exception {
    SimpleResolver resolver = new SimpleResolver(edge.node().dnsAddress());
    resolver.setTimeout(Duration.ofSeconds(3));
    Message answer = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN)));
    return answer.getSection(Section.ANSWER).stream().map(r -> r.rdataToString()).toList();
  }

  private AdminClient.Response admin(String path) throws Exception {
    return edge.admin().get(path);
  }

  @Test
  void proxiedRecordIsAnsweredWithTheEdgeAddressOnTheNodesDnsPort() throws Exception {
    assertThat(addressesOf("shop.example")).containsExactly("203.0.113.10");
  }

  @Test
  void adminPortPublishesEgressRangesAsTextAndJsonWithEtag() throws Exception {
    assertThat(admin("/ips-v4").body()).isEqualTo("127.0.0.2/32\n");
    assertThat(admin("/ips-v6").body()).isEqualTo("2001:db8:1::/48\n");
    AdminClient.Response api = admin("/api/ips");
    JsonNode json = new ObjectMapper().readTree(api.body());
    assertThat(json.get("ipv4_cidrs").toString()).isEqualTo("[\"127.0.0.2/32\"]");
    assertThat(json.get("ipv6_cidrs").toString()).isEqualTo("[\"2001:db8:1::/48\"]");
    assertThat(api.header("etag")).isEqualTo("\"" + json.get("etag").asText() + "\"");
    assertThat(api.header("content-type")).isEqualTo("application/json");
  }

  @Test
  void reloadPausesTheZoneInDnsAndRepublishesTheRangesWithANewEtag() throws Exception {
    String etagBefore = admin("/api/ips").header("etag");
    edge.rewrite(extra("127.0.0.2, 127.0.0.3"), zones(true));
    assertThat(edge.reload()).isNull();
    assertThat(addressesOf("shop.example")).containsExactly("192.0.2.1");
    assertThat(admin("/ips-v4").body()).isEqualTo("127.0.0.2/32\n127.0.0.3/32\n");
    assertThat(admin("/ips-v6").body()).isEmpty();
    assertThat(admin("/api/ips").header("etag")).isNotNull().isNotEqualTo(etagBefore);
  }

  @Test
  void badReloadKeepsServingTheOldZonesAndRanges() throws Exception {
    edge.rewrite(extra("127.0.0.2/8"), zones(true));
    String error = edge.reload();
    assertThat(error).isEqualTo(edge.configFile() + ":8: edge.egress[0]: \"127.0.0.2/8\" has host bits set; the block is 127.0.0.0/8");
    assertThat(addressesOf("shop.example")).containsExactly("203.0.113.10");
    assertThat(admin("/ips-v4").body()).isEqualTo("127.0.0.2/32\n");
  }

  @Test
  void answersAreCountedByTransportAndRcode() throws Exception {
    addressesOf("shop.example");
    addressesOf("elsewhere.example"); // not our zone: REFUSED
    String metrics = admin("/metrics").body();
    assertThat(metrics).contains("edgeray_dns_queries_total{rcode=\"NOERROR\",transport=\"udp\"} 1.0",
        "edgeray_dns_queries_total{rcode=\"REFUSED\",transport=\"udp\"} 1.0");
  }

  @Test
  void dnsPortAnswersOverTcpToo() throws Exception {
    SimpleResolver resolver = new SimpleResolver(edge.node().dnsAddress());
    resolver.setTCP(true);
    resolver.setTimeout(Duration.ofSeconds(3));
    Message answer = resolver.send(Message.newQuery(Record.newRecord(Name.fromString("shop.example."), Type.A, DClass.IN)));
    assertThat(Arrays.stream(answer.getSectionArray(Section.ANSWER)).map(Record::rdataToString)).containsExactly("203.0.113.10");
  }
}
