package io.edgeray.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeray.config.Cidr;
import io.edgeray.firewall.AllowlistFormats.Format;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each format says; NftLoadTest and NginxLoadTest check that the real tools accept it. */
class AllowlistFormatsTest {
  private final EdgeRanges ranges = new EdgeRanges(
      List.of(Cidr.parse("127.0.0.2/32"), Cidr.parse("127.0.0.3/32"), Cidr.parse("2001:db8:1::/48")));

  private String render(Format format) {
    return AllowlistFormats.render(format, ranges);
  }

  @Test
  void everyFormatNamesTheEtagSoTheOwnerCanCompareItWithApiIps() {
    for (Format f : Format.values()) assertThat(render(f)).as(f.name()).contains("etag " + ranges.etag());
  }

  @Test
  void formatsAreNamedAsOnTheCommandLine() {
    assertThat(Format.parse("nft")).isEqualTo(Format.NFT);
    assertThat(Format.parse("NGINX")).isEqualTo(Format.NGINX);
    assertThatThrownBy(() -> Format.parse("pf")).hasMessage("\"pf\" is not a format (nginx, apache, iptables, nft, ufw)");
  }

  @Test
  void nginxTrustsTheHeaderOnlyFromTheEdgeAndRefusesEveryoneElseByTheConnectionsAddress() {
    assertThat(render(Format.NGINX)).contains(
        "set_real_ip_from 127.0.0.2/32;\nset_real_ip_from 127.0.0.3/32;\nset_real_ip_from 2001:db8:1::/48;\n",
        "real_ip_header Edge-Connecting-IP;\n",
        "geo $realip_remote_addr $edgeray_edge {\n    default 0;\n    127.0.0.2/32 1;\n",
        "if ($edgeray_edge = 0) {\n    return 403;\n}\n",
        "Part 1 of 2: in the http {} block", "Part 2 of 2: in each server {} block");
  }

  @Test
  void apacheTrustsTheHeaderOnlyFromTheEdgeAndRequiresTheConnectionToComeFromIt() {
    assertThat(render(Format.APACHE)).contains(
        "RemoteIPHeader Edge-Connecting-IP\n",
        "RemoteIPTrustedProxy 127.0.0.2/32\nRemoteIPTrustedProxy 127.0.0.3/32\nRemoteIPTrustedProxy 2001:db8:1::/48\n",
        "<RequireAny>\n    Require expr \"%{CONN_REMOTE_ADDR} -ipmatch '127.0.0.2/32'\"\n",
        "    Require expr \"%{CONN_REMOTE_ADDR} -ipmatch '2001:db8:1::/48'\"\n</RequireAny>\n");
  }

  @Test
  void iptablesAcceptsEachBlockOnTheWebPortsThenDrops() {
    assertThat(render(Format.IPTABLES)).contains(
        "iptables -N EDGERAY 2>/dev/null || iptables -F EDGERAY\n"
            + "iptables -A EDGERAY -s 127.0.0.2/32 -j ACCEPT\n"
            + "iptables -A EDGERAY -s 127.0.0.3/32 -j ACCEPT\n"
            + "iptables -A EDGERAY -j DROP\n"
            + "iptables -C INPUT -p tcp -m multiport --dports 80,443 -j EDGERAY 2>/dev/null"
            + " || iptables -I INPUT -p tcp -m multiport --dports 80,443 -j EDGERAY\n",
        "ip6tables -A EDGERAY -s 2001:db8:1::/48 -j ACCEPT\nip6tables -A EDGERAY -j DROP\n");
  }

  @Test
  void nftIsOneTableWithASetPerFamily() {
    assertThat(render(Format.NFT)).contains(
        "table inet edgeray\ndelete table inet edgeray\ntable inet edgeray {\n",
        "\t\telements = { 127.0.0.2/32, 127.0.0.3/32 }\n",
        "\t\telements = { 2001:db8:1::/48 }\n",
        "\t\ttcp dport { 80, 443 } ip saddr @edge4 accept\n",
        "\t\ttcp dport { 80, 443 } drop\n");
  }

  @Test
  void ufwAllowsEachBlockBeforeDenyingTheWebPorts() {
    String ufw = render(Format.UFW);
    assertThat(ufw).contains("ufw allow from 127.0.0.2/32 to any port 80,443 proto tcp comment 'edgeray edge'\n");
    assertThat(ufw.indexOf("ufw allow from 2001:db8:1::/48")).isLessThan(ufw.indexOf("ufw deny proto tcp"));
  }

  @Test
  void withoutRangesTheOutputSaysSoAndLetsNothingIn() {
    EdgeRanges none = new EdgeRanges(List.of());
    for (Format f : Format.values()) {
      assertThat(AllowlistFormats.render(f, none)).as(f.name()).contains("edge.egress is empty");
    }
    assertThat(AllowlistFormats.render(Format.APACHE, none)).contains("Require all denied");
    assertThat(AllowlistFormats.render(Format.NFT, none)).doesNotContain("elements");
  }
}
