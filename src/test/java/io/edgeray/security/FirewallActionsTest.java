package io.edgeray.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FirewallActionsTest {
  private final Policies policies = new Policies();

  @Test
  void blockAnswers403WithCode1020AndTheRulesIdAndDescription() throws Exception {
    SecurityPolicy p = policies.zone("""
        firewall:
          - id: no-curl
            description: Scripts are not welcome here
            expression: 'http.user_agent.startsWith("curl/")'
            action: block
        """);

    SecurityVerdict v = p.evaluate(Visitor.browser().header("user-agent", "curl/8.5.0").facts());

    assertThat(v).isInstanceOfSatisfying(SecurityVerdict.FirewallBlocked.class, b -> {
      assertThat(b.status()).isEqualTo(403);
      assertThat(b.pageCode()).isEqualTo(1020);
      assertThat(b.ruleId()).isEqualTo("no-curl");
      assertThat(b.description()).isEqualTo("Scripts are not welcome here");
      assertThat(b.toString()).doesNotContain("startsWith"); // the expression is never part of the verdict
    });
    assertThat(p.evaluate(Visitor.browser().facts())).isEqualTo(SecurityVerdict.Continue.QUIET);
  }

  @Test
  void allowStopsTheFirewallRulesButNotTheRateLimits() throws Exception {
    SecurityPolicy p = policies.zone("""
        firewall:
          - { id: office, expression: 'ip.src in cidr("198.51.100.0/24")', action: allow }
          - { id: everyone-else, expression: 'true', action: block }
        rate_limits:
          - { id: two, requests: 2, period: 1m, action: block }
        """);

    assertThat(p.evaluate(Visitor.browser().facts())).isInstanceOf(SecurityVerdict.Continue.class);
    assertThat(p.evaluate(Visitor.browser().facts())).isInstanceOf(SecurityVerdict.Continue.class);
    assertThat(p.evaluate(Visitor.browser().facts())).isInstanceOf(SecurityVerdict.RateLimited.class);
    assertThat(p.evaluate(Visitor.browser().ip("192.0.2.1").facts())).isInstanceOf(SecurityVerdict.FirewallBlocked.class);
  }

  @Test
  void skipRateLimitGoesOnWithTheFirewallRulesAndCountsAgainstNoLimit() throws Exception {
    SecurityPolicy p = policies.zone("""
        firewall:
          - { id: api-clients, expression: '"x-api-key" in http.request.headers', action: skip_rate_limit }
          - { id: no-delete, expression: 'http.request.method == "DELETE"', action: block }
        rate_limits:
          - { id: one, requests: 1, period: 1m, action: block }
        """);
    Visitor apiClient = Visitor.browser().header("x-api-key", "k1");

    for (int i = 0; i < 5; i++) assertThat(p.evaluate(apiClient.facts())).isInstanceOf(SecurityVerdict.Continue.class);
    assertThat(p.evaluate(apiClient.method("DELETE").facts())).isInstanceOf(SecurityVerdict.FirewallBlocked.class);
    assertThat(p.evaluate(Visitor.browser().facts())).isInstanceOf(SecurityVerdict.Continue.class);
    assertThat(p.evaluate(Visitor.browser().facts())).isInstanceOf(SecurityVerdict.RateLimited.class);
  }

  @Test
  void logRecordsAnEventAndLetsTheRequestGoOn() throws Exception {
    SecurityPolicy p = policies.zone("""
        firewall:
          - { id: watch-login, description: who tries to log in, expression: 'http.request.uri.path == "/login"', action: log }
        """);

    SecurityVerdict v = p.evaluate(Visitor.browser().path("/login").facts());

    assertThat(v).isInstanceOf(SecurityVerdict.Continue.class);
    assertThat(v.logged()).satisfies(e -> {
      assertThat(e.rule()).isEqualTo("watch-login");
      assertThat(e.action()).isEqualTo(EventAction.LOG);
      assertThat(e.kind()).isEqualTo(EventKind.FIREWALL);
      assertThat(e.path()).isEqualTo("/login");
      assertThat(e.ray()).isEqualTo("8f3a1c0d2b4e6a71-AMS");
    });
  }

  @Test
  void rulesRunInOrderAndTheFirstBlockDecides() throws Exception {
    SecurityPolicy p = policies.zone("""
        firewall:
          - { id: first, expression: 'ssl', action: log }
          - { id: second, expression: 'ssl', action: block }
          - { id: third, expression: 'ssl', action: block }
        """);

    SecurityVerdict v = p.evaluate(Visitor.browser().facts());

    assertThat(v).isInstanceOfSatisfying(SecurityVerdict.FirewallBlocked.class, b -> assertThat(b.ruleId()).isEqualTo("second"));
    assertThat(v.events()).extracting(SecurityEvent::rule).containsExactly("first", "second");
  }

  @Test
  void aDisabledRuleIsNotEvaluated() throws Exception {
    SecurityPolicy p = policies.zone("""
        firewall:
          - { id: off, expression: 'true', action: block, enabled: false }
        """);

    assertThat(p.evaluate(Visitor.browser().facts())).isEqualTo(SecurityVerdict.Continue.QUIET);
  }

  @Test
  void anotherZonesRulesDoNotApply() throws Exception {
    SecurityPolicy p = policies.zone("firewall:\n  - { id: all, expression: 'true', action: block }\n");

    assertThat(p.evaluate(Visitor.browser().zone("blog.example").host("blog.example").facts()))
        .isEqualTo(SecurityVerdict.Continue.QUIET);
  }
}
