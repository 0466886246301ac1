package io.edgeray.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeray.config.Cidr;
import io.edgeray.config.ConfigException;
import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpAccessRulesTest {
  private final Policies policies = new Policies();

  @Test
  void aBlockedAddressIsRefusedWith403AndCode1006() throws Exception {
    SecurityPolicy p = policies.zone("ip_access:\n  - { ip: 198.51.100.0/24, action: block, note: scraper }\n");

    SecurityVerdict v = p.evaluate(Visitor.browser().facts());

    assertThat(v).isInstanceOfSatisfying(SecurityVerdict.IpBlocked.class, b -> {
      assertThat(b.status()).isEqualTo(403);
      assertThat(b.pageCode()).isEqualTo(1006);
      assertThat(b.rule().id()).isEqualTo("198.51.100.0/24");
      assertThat(b.rule().note()).isEqualTo("scraper");
    });
    assertThat(v.logged().kind()).isEqualTo(EventKind.IP);
    assertThat(p.evaluate(Visitor.browser().ip("198.51.101.1").facts())).isInstanceOf(SecurityVerdict.Continue.class);
  }

  @Test
  void theMostSpecificBlockWinsWhateverTheOrder() throws Exception {
    SecurityPolicy p = policies.zone("""
        ip_access:
          - { ip: 198.51.100.23, action: allow }
          - { ip: 198.51.0.0/16, action: block }
          - { ip: 198.51.100.0/24, action: log }
        """);

    assertThat(p.evaluate(Visitor.browser().facts())).isInstanceOf(SecurityVerdict.Continue.class);
    assertThat(p.evaluate(Visitor.browser().ip("198.51.100.24").facts()).events())
        .singleElement().satisfies(e -> assertThat(e.action()).isEqualTo(EventAction.LOG));
    assertThat(p.evaluate(Visitor.browser().ip("198.51.7.1").facts())).isInstanceOf(SecurityVerdict.IpBlocked.class);
  }

  @Test
  void theZonesRulesComeBeforeTheEdgeWideOnes() throws Exception {
    SecurityPolicy p = policies.build("""
        ip_access:
          - { ip: 198.51.100.0/24, action: block }
          - { ip: 203.0.113.0/24, action: block }
        """, """
        ip_access:
          - { ip: 198.51.100.0/22, action: allow, note: "our office, even where the edge blocks it" }
        """);

    assertThat(p.evaluate(Visitor.browser().facts())).isInstanceOf(SecurityVerdict.Continue.class);
    assertThat(p.evaluate(Visitor.browser().ip("203.0.113.5").facts())).isInstanceOf(SecurityVerdict.IpBlocked.class);
  }

  @Test
  void edgeWideRulesApplyToHostsNoZoneServes() throws Exception {
    SecurityPolicy p = policies.build("ip_access:\n  - { ip: 198.51.100.0/24, action: block }\n", "");

    assertThat(p.evaluate(Visitor.browser().zone(null).host("other.example").facts()))
        .isInstanceOfSatisfying(SecurityVerdict.IpBlocked.class, b -> assertThat(b.events().get(0).zone()).isEqualTo("-"));
  }

  @Test
  void anAllowedAddressSkipsTheFirewallRulesAndTheRateLimits() throws Exception {
    SecurityPolicy p = policies.zone("""
        ip_access:
          - { ip: 198.51.100.23, action: allow, note: uptime monitor }
        firewall:
          - { id: everything, expression: 'true', action: block }
        rate_limits:
          - { id: one, requests: 1, period: 1m, action: block }
        """);

    for (int i = 0; i < 3; i++) assertThat(p.evaluate(Visitor.browser().facts())).isInstanceOf(SecurityVerdict.Continue.class);
    assertThat(p.evaluate(Visitor.browser().ip("198.51.100.24").facts())).isInstanceOf(SecurityVerdict.FirewallBlocked.class);
  }

  @Test
  void aLoggedAddressGoesOnToTheFirewallRules() throws Exception {
    SecurityPolicy p = policies.zone("""
        ip_access:
          - { ip: 198.51.100.23, action: log }
        firewall:
          - { id: no-admin, expression: 'http.request.uri.path.startsWith("/admin")', action: block }
        """);

    SecurityVerdict v = p.evaluate(Visitor.browser().path("/admin/users").facts());

    assertThat(v).isInstanceOf(SecurityVerdict.FirewallBlocked.class);
    assertThat(v.events()).extracting(SecurityEvent::kind, SecurityEvent::action)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(EventKind.IP, EventAction.LOG),
            org.assertj.core.groups.Tuple.tuple(EventKind.FIREWALL, EventAction.BLOCK));
  }

  @Test
  void ipv6BlocksMatchIpv6VisitorsOnly() throws Exception {
    SecurityPolicy p = policies.zone("ip_access:\n  - { ip: \"2001:db8:42::/48\", action: block }\n  - { ip: 0.0.0.0/0, action: log }\n");

    assertThat(p.evaluate(Visitor.browser().ip("2001:db8:42:1::9").facts())).isInstanceOf(SecurityVerdict.IpBlocked.class);
    assertThat(p.evaluate(Visitor.browser().ip("2001:db8:43::9").facts())).isInstanceOf(SecurityVerdict.Continue.class);
    assertThat(p.evaluate(Visitor.browser().ip("::ffff:198.51.100.23").facts()).events()).singleElement()
        .satisfies(e -> assertThat(e.rule()).isEqualTo("0.0.0.0/0"));
  }

  @Test
  void tenThousandRulesAreLookedUpByPrefixNotByScan() {
    List<IpAccessRule> rules = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      String block = "10." + (i / 256) + "." + (i % 256) + ".0/24";
      rules.add(new IpAccessRule(Cidr.parse(block), i % 2 == 0 ? IpAccessAction.BLOCK : IpAccessAction.LOG, ""));
    }
    rules.add(new IpAccessRule(Cidr.parse("10.20.30.40/32"), IpAccessAction.ALLOW, ""));
    IpAccessList list = IpAccessList.of(rules);

    assertThat(list.match(NetUtil.createInetAddressFromIpAddressString("10.0.0.1")).action()).isEqualTo(IpAccessAction.BLOCK);
    assertThat(list.match(NetUtil.createInetAddressFromIpAddressString("10.39.15.200")).id()).isEqualTo("10.39.15.0/24");
    assertThat(list.match(NetUtil.createInetAddressFromIpAddressString("10.20.30.40")).action()).isEqualTo(IpAccessAction.ALLOW);
    assertThat(list.match(NetUtil.createInetAddressFromIpAddressString("10.20.30.41")).id()).isEqualTo("10.20.30.0/24");
    assertThat(list.match(NetUtil.createInetAddressFromIpAddressString("10.40.0.1"))).isNull(); // 10,000 /24s end at 10.39.15.0
    assertThat(list.match(NetUtil.createInetAddressFromIpAddressString("2001:db8::1"))).isNull();
  }

  @Test
  void aBlockWrittenTwiceIsAConfigError() {
    assertThatThrownBy(() -> policies.zone("ip_access:\n  - { ip: 198.51.100.0/24, action: block }\n  - { ip: 198.51.100.0/24, action: log }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("edgeray.yaml:9: zones[0].ip_access[1].ip: 198.51.100.0/24 already has a rule on line 8");
  }

  @Test
  void aBlockWithHostBitsIsAConfigError() {
    assertThatThrownBy(() -> policies.zone("ip_access:\n  - { ip: 198.51.100.7/24, action: block }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("edgeray.yaml:8: zones[0].ip_access[0].ip: \"198.51.100.7/24\" has host bits set; the block is 198.51.100.0/24");
  }
}
