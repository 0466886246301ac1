package io.edgeray.edge;

import static io.edgeray.edge.ErrorPageAssertions.zone;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.AdminClient;
import io.edgeray.testing.Fault;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.RawClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The zone's firewall rules and rate limits, as the request filter of a running edge. */
class FirewallAtTheEdgeTest {
  private static final String RULES = """
          firewall:
            - { id: no-admin, description: "Keep bots out of /admin", expression: 'http.request.uri.path.startsWith("/admin")', action: block }
            - { id: watch-curl, expression: 'http.user_agent.contains("curl")', action: log }
          rate_limits:
            - { id: login, expression: 'http.request.uri.path == "/login"', requests: 2, period: 60s, action: block, mitigation_timeout: 600s }
      """;

  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();
  private FaultyOrigin origin;

  @BeforeEach
  void start() throws Exception {
    origin = FaultyOrigin.start(Fault.OK);
    edge.start("admin: 127.0.0.1:0\n", zone(origin.port()) + RULES.stripTrailing().replaceAll("(?m)^      ", "    ") + "\n");
  }

  @AfterEach
  void stop() {
    origin.close();
  }

  @Test
  void aBlockingRuleGives403WithCode1020AndTheRuleButNotItsExpression() throws Exception {
    RawClient.Response r = edge.get("shop.example", "/admin/users");
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.body()).contains("1020", "Blocked by rule no-admin: Keep bots out of /admin", r.header("edge-ray"))
        .doesNotContain("startsWith");
    JsonNode line = edge.logLine(r.header("edge-ray"));
    assertThat(line.get("failure").asText()).isEqualTo("FIREWALL_BLOCKED");
    assertThat(line.get("security").get("rule").asText()).isEqualTo("no-admin");
    assertThat(line.get("security").get("action").asText()).isEqualTo("block");
    assertThat(line.get("security").get("kind").asText()).isEqualTo("firewall");
    assertThat(origin.requests()).isEmpty();
  }

  @Test
  void aLogRuleLetsTheRequestThroughAndSaysSoInTheLog() throws Exception {
    RawClient.Response r = edge.get("shop.example", "/", "User-Agent: curl/8.0");
    assertThat(r.status()).isEqualTo(200);
    JsonNode line = edge.logLine(r.header("edge-ray"));
    assertThat(line.get("security").get("rule").asText()).isEqualTo("watch-curl");
    assertThat(line.get("security").get("action").asText()).isEqualTo("log");
  }

  @Test
  void theRequestOverTheLimitGets429WithCode1015AndRetryAfter() throws Exception {
    assertThat(edge.get("shop.example", "/login").status()).isEqualTo(200);
    assertThat(edge.get("shop.example", "/login").status()).isEqualTo(200);
    RawClient.Response third = edge.get("shop.example", "/login");
    assertThat(third.status()).isEqualTo(429);
    assertThat(third.body()).contains("1015", "Rate limited by rule login");
    assertThat(Long.parseLong(third.header("retry-after"))).isBetween(1L, 600L);
    assertThat(third.header("ratelimit-policy")).isEqualTo("\"login\";q=2;w=60");
    assertThat(edge.logLine(third.header("edge-ray")).get("security").get("kind").asText()).isEqualTo("rate_limit");
    assertThat(origin.requests()).hasSize(2);
    assertThat(edge.get("shop.example", "/").status()).as("other paths are not counted").isEqualTo(200);
  }

  @Test
  void theZonesSecurityEventsAreReadableNewestFirstAndFilteredByRule() throws Exception {
    String blocked = edge.get("shop.example", "/admin/a").header("edge-ray");
    String logged = edge.get("shop.example", "/", "User-Agent: curl/8.0").header("edge-ray");

    JsonNode all = events("shop.example", "");
    assertThat(all.get("events")).hasSize(2);
    assertThat(all.get("events").get(0).get("ray").asText()).isEqualTo(logged);
    assertThat(all.get("events").get(1).get("ray").asText()).isEqualTo(blocked);
    assertThat(all.get("events").get(1).get("action").asText()).isEqualTo("block");
    assertThat(all.get("events").get(1).get("path").asText()).isEqualTo("/admin/a");

    JsonNode onlyBlocks = events("shop.example", "?action=block");
    assertThat(onlyBlocks.get("events")).hasSize(1);
    assertThat(onlyBlocks.get("events").get(0).get("rule").asText()).isEqualTo("no-admin");
    assertThat(events("shop.example", "?rule=watch-curl").get("events")).hasSize(1);
  }

  @Test
  void anUnknownZoneOrABadFilterGetsAClearError() throws Exception {
    assertThat(admin("/api/zones/nope.example/security/events").status()).isEqualTo(404);
    AdminClient.Response bad = admin("/api/zones/shop.example/security/events?action=shout");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("\"code\":\"bad_query\"", "\"message\":\"action: shout is not one of", "\"field\":\"action\"");
  }

  private JsonNode events(String zone, String query) throws Exception {
    AdminClient.Response r = admin("/api/zones/" + zone + "/security/events" + query);
    assertThat(r.status()).isEqualTo(200);
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
  }

  private AdminClient.Response admin(String path) throws Exception {
    return edge.admin().get(path);
  }
}
