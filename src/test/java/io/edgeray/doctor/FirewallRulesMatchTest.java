package io.edgeray.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.config.Cidr;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How rules printed by iptables-save, nft and ufw are matched against the edge's ranges and the web ports. */
class FirewallRulesMatchTest {
  private final List<Cidr> edge = List.of(Cidr.parse("127.0.0.2"), Cidr.parse("2001:db8:1::/48"));
  private final List<String> edgeBlocked = new ArrayList<>();
  private final List<String> portBlocked = new ArrayList<>();

  @Test
  void iptablesRulesDroppingAnEdgeAddressOrABlockHoldingItAreFound() {
    String save = """
        *filter
        :INPUT ACCEPT [0:0]
        -A INPUT -s 127.0.0.2/32 -p tcp -m tcp --dport 80 -j DROP
        -A INPUT -s 127.0.0.0/24 -p tcp -j REJECT --reject-with tcp-reset
        -A INPUT -s 10.0.0.1/32 -j DROP
        -A INPUT -p tcp -m tcp --dport 443 -j DROP
        -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
        COMMIT
        """;
    int lines = FirewallRulesCheck.match("iptables-save", save, edge, List.of(80, 443), edgeBlocked, portBlocked);

    assertThat(lines).isEqualTo(4);
    assertThat(edgeBlocked).containsExactly(
        "iptables-save: -A INPUT -s 127.0.0.2/32 -p tcp -m tcp --dport 80 -j DROP",
        "iptables-save: -A INPUT -s 127.0.0.0/24 -p tcp -j REJECT --reject-with tcp-reset");
    assertThat(portBlocked).containsExactly("iptables-save: -A INPUT -p tcp -m tcp --dport 443 -j DROP");
  }

  @Test
  void nftAndUfwRulesNamingTheEdgeAreFoundInBothFamilies() {
    String nft = """
        table inet filter {
          chain input {
            type filter hook input priority filter; policy accept;
            ip6 saddr 2001:db8:1:5::/64 tcp dport { 80, 443 } drop
            ip saddr 192.0.2.7 drop
          }
        }
        """;
    FirewallRulesCheck.match("nft", nft, edge, List.of(80, 443), edgeBlocked, portBlocked);
    FirewallRulesCheck.match("ufw", "80/tcp                     DENY        127.0.0.2\n443/tcp   DENY   Anywhere\n",
        edge, List.of(80, 443), edgeBlocked, portBlocked);

    assertThat(edgeBlocked).containsExactly("nft: ip6 saddr 2001:db8:1:5::/64 tcp dport { 80, 443 } drop",
        "ufw: 80/tcp                     DENY        127.0.0.2");
    assertThat(portBlocked).containsExactly("ufw: 443/tcp   DENY   Anywhere");
  }
}
