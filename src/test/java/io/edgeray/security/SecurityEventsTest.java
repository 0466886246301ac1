package io.edgeray.security;

import io.edgeray.testing.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SecurityEventsTest {
  private final Policies policies = new Policies();

  private SecurityPolicy policy() throws Exception {
    return policies.zone("""
        firewall:
          - { id: no-admin, expression: 'http.request.uri.path.startsWith("/admin")', action: block }
          - { id: watch-search, expression: 'http.request.uri.path == "/search"', action: log }
        rate_limits:
          - { id: burst, requests: 3, period: 10s, action: block, mitigation_timeout: 10s }
        """);
  }

  @Test
  void everyBlockLogAndRateLimitIsAnEventInTheZonesLog() throws Exception {
    SecurityPolicy p = policy();
    p.evaluate(Visitor.browser().path("/admin").facts());
    p.evaluate(Visitor.browser().path("/search").ip("192.0.2.7").facts());
    p.evaluate(Visitor.browser().facts()); // a plain request: no event
    for (int i = 0; i < 4; i++) p.evaluate(Visitor.browser().ip("203.0.113.9").facts());

    assertThat(policies.runtime.events().events("shop.example", EventQuery.ALL))
        .extracting(SecurityEvent::rule, SecurityEvent::action, SecurityEvent::kind)
        .containsExactly( // newest first
            org.assertj.core.groups.Tuple.tuple("burst", EventAction.BLOCK, EventKind.RATE_LIMIT),
            org.assertj.core.groups.Tuple.tuple("watch-search", EventAction.LOG, EventKind.FIREWALL),
            org.assertj.core.groups.Tuple.tuple("no-admin", EventAction.BLOCK, EventKind.FIREWALL));
  }

  @Test
  void eventsAreFilteredByRuleActionAddressAndTime() throws Exception {
    SecurityPolicy p = policy();
    p.evaluate(Visitor.browser().path("/admin").ip("192.0.2.1").facts());
    policies.clock.advance(Duration.ofMinutes(1));
    p.evaluate(Visitor.browser().path("/admin").ip("192.0.2.2").facts());
    p.evaluate(Visitor.browser().path("/search").ip("192.0.2.2").facts());
    policies.clock.advance(Duration.ofMinutes(1));
    p.evaluate(Visitor.browser().path("/search").ip("192.0.2.3").facts());
    SecurityEventLog log = policies.runtime.events();

    assertThat(log.events("shop.example", EventQuery.ALL.withRule("no-admin"))).extracting(SecurityEvent::clientIp)
        .containsExactly("192.0.2.2", "192.0.2.1");
    assertThat(log.events("shop.example", EventQuery.ALL.withAction(EventAction.LOG))).extracting(SecurityEvent::clientIp)
        .containsExactly("192.0.2.3", "192.0.2.2");
    assertThat(log.events("shop.example", EventQuery.ALL.withClientIp("192.0.2.2"))).extracting(SecurityEvent::rule)
        .containsExactly("watch-search", "no-admin");
    Instant start = TestClock.START;
    assertThat(log.events("shop.example", EventQuery.ALL.between(start.plusSeconds(60), start.plusSeconds(120))))
        .extracting(SecurityEvent::rule).containsExactly("watch-search", "no-admin");
    assertThat(log.events("shop.example", EventQuery.ALL.withLimit(1))).extracting(SecurityEvent::clientIp)
        .containsExactly("192.0.2.3");
    assertThat(log.events("blog.example", EventQuery.ALL)).isEmpty();
  }

  @Test
  void theLogKeepsOnlyTheLastEventsOfEachZone() {
    SecurityEventLog log = new SecurityEventLog(3);
    for (int i = 0; i < 10; i++) {
      log.add(new SecurityEvent(TestClock.START.plusSeconds(i), "shop.example", "r" + i, EventAction.LOG,
          EventKind.FIREWALL, "192.0.2.1", "shop.example", "/", "ray", false));
    }

    assertThat(log.events("shop.example", EventQuery.ALL)).extracting(SecurityEvent::rule).containsExactly("r9", "r8", "r7");
  }

  @Test
  void theMetricCountsEventsByZoneRuleAndAction() throws Exception {
    SecurityPolicy p = policy();
    p.evaluate(Visitor.browser().path("/admin").facts());
    p.evaluate(Visitor.browser().path("/admin/x").facts());
    p.evaluate(Visitor.browser().path("/search").facts());

    assertThat(policies.runtime.metrics().count("shop.example", "no-admin", EventAction.BLOCK)).isEqualTo(2);
    assertThat(policies.runtime.metrics().count("shop.example", "watch-search", EventAction.LOG)).isEqualTo(1);
    assertThat(policies.registry.scrape().stream().map(s -> s.getMetadata().getPrometheusName()))
        .contains("edgeray_security_events");
  }

  @Test
  void aRuleThatFiresOnTheZonesOwnOriginIsFlaggedAsASelfLockout() throws Exception {
    String yaml = """
        node: AMS
        listen: { http: 127.0.0.1:8080 }
        pools:
          - name: web
            origins:
              - { name: a, address: 192.0.2.21, port: 80 }
        zones:
          - name: shop.example
            records:
              - { type: A, name: "@", content: 192.0.2.10, proxied: true }
              - { type: AAAA, name: "@", content: "2001:db8::10", proxied: true }
            load_balancers:
              - { name: api.shop.example, pools: [web] }
            firewall:
              - { id: no-admin, expression: 'http.request.uri.path.startsWith("/admin")', action: block }
        """;
    SecurityPolicy p = SecurityPolicy.build(Policies.load(yaml), policies.runtime);

    assertThat(p.evaluate(Visitor.browser().path("/admin").ip("192.0.2.10").facts()).logged().selfLockout()).isTrue();
    assertThat(p.evaluate(Visitor.browser().path("/admin").ip("2001:db8::10").facts()).logged().selfLockout()).isTrue();
    assertThat(p.evaluate(Visitor.browser().path("/admin").ip("192.0.2.21").facts()).logged().selfLockout()).isTrue();
    assertThat(p.evaluate(Visitor.browser().path("/admin").facts()).logged().selfLockout()).isFalse();
  }
}
