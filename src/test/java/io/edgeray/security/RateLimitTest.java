package io.edgeray.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitTest {
  private final Policies policies = new Policies();

  private static final String LOGIN = """
      rate_limits:
        - id: login
          expression: 'http.request.method == "POST" && http.request.uri.path == "/login"'
          characteristics: [ip.src]
          requests: 5
          period: 1m
          action: block
          mitigation_timeout: 10m
      """;

  private static Visitor login() {
    return Visitor.browser().method("POST").path("/login");
  }

  @Test
  void nRequestsInThePeriodPassAndTheNPlusFirstIsRefusedWith429AndCode1015() throws Exception {
    SecurityPolicy p = policies.zone(LOGIN);

    for (int i = 0; i < 5; i++) {
      policies.clock.advance(Duration.ofSeconds(10)); // all five inside the first minute
      assertThat(p.evaluate(login().facts())).as("request %d", i + 1).isInstanceOf(SecurityVerdict.Continue.class);
    }
    SecurityVerdict sixth = p.evaluate(login().facts());

    assertThat(sixth).isInstanceOfSatisfying(SecurityVerdict.RateLimited.class, r -> {
      assertThat(r.status()).isEqualTo(429);
      assertThat(r.pageCode()).isEqualTo(1015);
      assertThat(r.ruleId()).isEqualTo("login");
      assertThat(r.retryAfterSeconds()).isEqualTo(600);
      assertThat(r.headers().retryAfter()).isEqualTo("600");
      assertThat(r.headers().policy()).isEqualTo("\"login\";q=5;w=60");
      assertThat(r.headers().rateLimit()).isEqualTo("\"login\";r=0;t=600");
    });
  }

  @Test
  void theBlockLiftsAfterTheMitigationTimeoutAndNotBefore() throws Exception {
    SecurityPolicy p = policies.zone(LOGIN);
    for (int i = 0; i < 5; i++) p.evaluate(login().facts());
    assertThat(p.evaluate(login().facts())).isInstanceOf(SecurityVerdict.RateLimited.class);

    policies.clock.advance(Duration.ofMinutes(9).plusSeconds(59));
    assertThat(p.evaluate(login().facts()))
        .isInstanceOfSatisfying(SecurityVerdict.RateLimited.class, r -> assertThat(r.retryAfterSeconds()).isEqualTo(1));

    policies.clock.advance(Duration.ofSeconds(1));
    for (int i = 0; i < 5; i++) {
      assertThat(p.evaluate(login().facts())).as("request %d after the block", i + 1).isInstanceOf(SecurityVerdict.Continue.class);
    }
    assertThat(p.evaluate(login().facts())).isInstanceOf(SecurityVerdict.RateLimited.class);
  }

  @Test
  void requestsTheExpressionDoesNotSelectAreNeitherCountedNorRefused() throws Exception {
    SecurityPolicy p = policies.zone(LOGIN);
    for (int i = 0; i < 6; i++) p.evaluate(login().facts());

    assertThat(p.evaluate(Visitor.browser().path("/login").facts())).isInstanceOf(SecurityVerdict.Continue.class); // a GET
    assertThat(p.evaluate(login().path("/cart").facts())).isInstanceOf(SecurityVerdict.Continue.class);
  }

  @Test
  void eachVisitorAddressHasItsOwnCounter() throws Exception {
    SecurityPolicy p = policies.zone(LOGIN);
    for (int i = 0; i < 6; i++) p.evaluate(login().facts());

    assertThat(p.evaluate(login().ip("198.51.100.99").facts())).isInstanceOf(SecurityVerdict.Continue.class);
  }

  @Test
  void aHeaderOrCookieCharacteristicCountsPerValue() throws Exception {
    SecurityPolicy p = policies.zone("""
        rate_limits:
          - id: per-key
            characteristics: ['http.request.headers["x-api-key"]', 'http.request.cookies["session"]']
            requests: 1
            period: 10s
            action: block
        """);

    assertThat(p.evaluate(Visitor.browser().header("x-api-key", "a").facts())).isInstanceOf(SecurityVerdict.Continue.class);
    assertThat(p.evaluate(Visitor.browser().header("x-api-key", "b").facts())).isInstanceOf(SecurityVerdict.Continue.class);
    assertThat(p.evaluate(Visitor.browser().header("x-api-key", "b").header("cookie", "session=other").facts()))
        .isInstanceOf(SecurityVerdict.Continue.class);
    assertThat(p.evaluate(Visitor.browser().header("x-api-key", "a").ip("192.0.2.200").facts()))
        .as("same key and cookie from another address").isInstanceOf(SecurityVerdict.RateLimited.class);
  }

  @Test
  void aHostOrPathCharacteristicCountsPerHostOrPath() throws Exception {
    SecurityPolicy p = policies.zone("""
        rate_limits:
          - { id: per-path, characteristics: [http.host, http.request.uri.path], requests: 1, period: 10s, action: block }
        """);

    assertThat(p.evaluate(Visitor.browser().path("/a").facts())).isInstanceOf(SecurityVerdict.Continue.class);
    assertThat(p.evaluate(Visitor.browser().path("/b").facts())).isInstanceOf(SecurityVerdict.Continue.class);
    assertThat(p.evaluate(Visitor.browser().path("/b").host("www.shop.example").facts())).isInstanceOf(SecurityVerdict.Continue.class);
    assertThat(p.evaluate(Visitor.browser().path("/a").ip("192.0.2.1").facts())).isInstanceOf(SecurityVerdict.RateLimited.class);
  }

  @Test
  void aLogLimitRecordsTheEventAndLetsTheRequestThrough() throws Exception {
    SecurityPolicy p = policies.zone("rate_limits:\n  - { id: watch, requests: 1, period: 1m, action: log }\n");
    p.evaluate(Visitor.browser().facts());

    SecurityVerdict v = p.evaluate(Visitor.browser().facts());

    assertThat(v).isInstanceOf(SecurityVerdict.Continue.class);
    assertThat(v.logged()).satisfies(e -> {
      assertThat(e.kind()).isEqualTo(EventKind.RATE_LIMIT);
      assertThat(e.action()).isEqualTo(EventAction.LOG);
    });
  }

  @Test
  void withoutAMitigationTimeoutTheCounterAllowsAgainWhenTheSlidingWindowHasRoom() throws Exception {
    SecurityPolicy p = policies.zone("rate_limits:\n  - { id: ten, requests: 10, period: 1m, action: block, mitigation_timeout: 0 }\n");
    for (int i = 0; i < 10; i++) p.evaluate(Visitor.browser().facts()); // ten at 10:00:00

    SecurityVerdict refused = p.evaluate(Visitor.browser().facts());
    assertThat(refused).isInstanceOfSatisfying(SecurityVerdict.RateLimited.class,
        r -> assertThat(r.retryAfterSeconds()).isEqualTo(60)); // only the next window helps
    policies.clock.advance(Duration.ofSeconds(66)); // 10:01:06: the ten weigh 10 * 54/60 = 9

    assertThat(p.evaluate(Visitor.browser().facts())).isInstanceOf(SecurityVerdict.Continue.class);
    assertThat(p.evaluate(Visitor.browser().facts())).isInstanceOfSatisfying(SecurityVerdict.RateLimited.class,
        r -> assertThat(r.retryAfterSeconds()).isEqualTo(6)); // at 10:01:12 the ten weigh 8, room for one more
  }

  @Test
  void theCountersSurviveAReloadWithTheSameRuntime() throws Exception {
    SecurityPolicy before = policies.zone(LOGIN);
    for (int i = 0; i < 5; i++) before.evaluate(login().facts());

    SecurityPolicy after = policies.zone(LOGIN);

    assertThat(after.evaluate(login().facts())).isInstanceOf(SecurityVerdict.RateLimited.class);
  }

  @Test
  void aFloodOfDistinctKeysStaysWithinTheCounterBound() throws Exception {
    Policies small = new Policies(1_000);
    SecurityPolicy p = small.zone("""
        rate_limits:
          - { id: per-key, characteristics: ['http.request.headers["x-api-key"]'], requests: 1, period: 1m, action: block }
        """);
    String longValue = "k".repeat(10_000);

    for (int i = 0; i < 50_000; i++) {
      p.evaluate(Visitor.browser().header("x-api-key", (i % 10 == 0 ? longValue : "key-") + i).facts());
    }

    assertThat(small.runtime.counters().size()).isLessThanOrEqualTo(1_000);
  }

  @Test
  void idleCountersExpire() throws Exception {
    SecurityPolicy p = policies.zone(LOGIN);
    for (int i = 0; i < 100; i++) p.evaluate(login().ip("192.0.2." + i).facts());
    assertThat(policies.runtime.counters().size()).isEqualTo(100);

    policies.clock.advance(Duration.ofMinutes(11)); // longer than two periods and the mitigation timeout

    assertThat(policies.runtime.counters().size()).isZero();
  }
}
