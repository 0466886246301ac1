package io.edgeray.config.edit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeray.testing.AdminClient;
import io.edgeray.testing.EdgeExtension;
import io.edgeray.testing.FaultyOrigin;
import io.edgeray.testing.RawClient;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Firewall rules, rate limits, IP rules, cache settings and cache rules through the admin API
 * against a running edge: a change answers once the next visitor gets it, is in the file with its
 * comments kept, is in the audit log, and a refused one changes neither the edge nor the file.
 */
class RulesApiEdgeTest {
  @RegisterExtension final EdgeExtension edge = EdgeExtension.create();
  private FaultyOrigin origin;

  @BeforeEach
  void start() throws Exception {
    origin = FaultyOrigin.start();
    edge.start("admin: 127.0.0.1:0\n", EdgeExtension.zone("shop.example", """
        origin_ports: { http: %d }
        firewall:
          # kept by hand
          - id: no-php
            expression: 'http.request.uri.path.endsWith(".php")'
            action: block
          - { id: watch, expression: 'http.request.uri.path == "/watched"', action: log }
        """.formatted(origin.port())));
  }

  @AfterEach
  void stop() {
    origin.close();
  }

  private AdminClient.Response admin(String method, String path, String body) throws Exception {
    return edge.admin().send(method, path, body);
  }

  private List<String> ids(String path) throws Exception {
    AdminClient.Response r = admin("GET", path, null);
    assertThat(r.status()).isEqualTo(200);
    return StreamSupport.stream(r.json().spliterator(), false)
        .map(j -> j.has("id") ? j.get("id").asText() : j.get("ip").asText()).toList();
  }

  @Test
  void aFirewallRuleAddedThroughTheApiBlocksTheNextVisitorWith1020AndCanBeSwitchedOffAndDeleted() throws Exception {
    assertThat(edge.get("shop.example", "/private/x").status()).isEqualTo(200);

    AdminClient.Response added = admin("POST", "/api/zones/shop.example/firewall",
        "{\"id\": \"no-private\", \"description\": \"Nothing private\", \"expression\": \"http.request.uri.path.startsWith(\\\"/private\\\")\", \"action\": \"block\"}");

    assertThat(added.status()).isEqualTo(201);
    assertThat(added.json().get("id").asText()).isEqualTo("no-private");
    assertThat(added.json().get("enabled").asBoolean()).isTrue();
    RawClient.Response blocked = edge.get("shop.example", "/private/x");
    assertThat(blocked.status()).isEqualTo(403);
    assertThat(blocked.body()).contains("1020", "no-private");
    assertThat(ids("/api/zones/shop.example/firewall")).containsExactly("no-php", "watch", "no-private");
    assertThat(Files.readString(edge.configFile())).contains("      # kept by hand\n")
        .contains("      - { id: no-private, description: \"Nothing private\", expression: \"http.request.uri.path.startsWith(\\\"/private\\\")\", action: block }\n");

    AdminClient.Response off = admin("PATCH", "/api/zones/shop.example/firewall/no-private", "{\"enabled\": false}");
    assertThat(off.status()).isEqualTo(200);
    assertThat(off.json().get("enabled").asBoolean()).isFalse();
    assertThat(edge.get("shop.example", "/private/x").status()).isEqualTo(200);

    AdminClient.Response deleted = admin("DELETE", "/api/zones/shop.example/firewall/no-private", null);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().get("deleted").asBoolean()).isTrue();
    assertThat(ids("/api/zones/shop.example/firewall")).containsExactly("no-php", "watch");
    assertThat(admin("DELETE", "/api/zones/shop.example/firewall/no-private", null).errorCode()).isEqualTo("no_such_rule");

    JsonNode audit = admin("GET", "/api/audit", null).json();
    String all = audit.toString();
    assertThat(all).contains("zone shop.example: add firewall rule", "zone shop.example: update firewall rule no-private",
        "zone shop.example: delete firewall rule no-private");
  }

  @Test
  void aBadExpressionAnswers422WithItsFieldAndCelsColumnAndTheOldRulesStay() throws Exception {
    String before = Files.readString(edge.configFile());

    AdminClient.Response r = admin("POST", "/api/zones/shop.example/firewall",
        "{\"id\": \"typo\", \"expression\": \"http.hots == \\\"shop.example\\\"\", \"action\": \"block\"}");

    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().get("error").get("field").asText()).isEqualTo("zones[0].firewall[2].expression");
    assertThat(r.json().get("error").get("message").asText()).isEqualTo("column 1: undeclared reference to 'http'");
    assertThat(Files.readString(edge.configFile())).isEqualTo(before);
    assertThat(ids("/api/zones/shop.example/firewall")).containsExactly("no-php", "watch");
    assertThat(edge.get("shop.example", "/index.php").status()).isEqualTo(403); // the old rules still run

    AdminClient.Response put = admin("PUT", "/api/zones/shop.example/firewall",
        "[{\"id\": \"ok\", \"expression\": \"true\", \"action\": \"log\"}, {\"id\": \"bad\", \"expression\": \"1 +\", \"action\": \"block\"}]");
    assertThat(put.status()).isEqualTo(422);
    assertThat(put.json().get("error").get("field").asText()).isEqualTo("zones[0].firewall[1].expression");
    assertThat(Files.readString(edge.configFile())).isEqualTo(before);
    assertThat(admin("GET", "/api/audit", null).json().get("entries").get(0).get("result").asText()).isEqualTo("refused");
  }

  @Test
  void aRateLimitPutThroughTheApiLimitsTheNextVisitorsAndItsSwitchTurnsItOff() throws Exception {
    AdminClient.Response put = admin("PUT", "/api/zones/shop.example/rate_limits",
        "[{\"id\": \"tight\", \"requests\": 1, \"period\": \"1m\", \"action\": \"block\"}]");
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.json().get(0).get("characteristics").get(0).asText()).isEqualTo("ip.src");
    assertThat(put.json().get(0).get("mitigation_timeout").asText()).isEqualTo("1m");

    assertThat(edge.get("shop.example", "/").status()).isEqualTo(200);
    RawClient.Response limited = edge.get("shop.example", "/");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.body()).contains("1015", "tight");

    assertThat(admin("PATCH", "/api/zones/shop.example/rate_limits/tight", "{\"enabled\": false}").status()).isEqualTo(200);
    assertThat(edge.get("shop.example", "/").status()).isEqualTo(200);
  }

  @Test
  void zoneAndEdgeIpRulesAreFoundByTheirAddressOrBlock() throws Exception {
    AdminClient.Response zoneRule = admin("POST", "/api/zones/shop.example/ip_access",
        "{\"ip\": \"127.0.0.1\", \"action\": \"block\", \"note\": \"the test itself\"}");
    assertThat(zoneRule.status()).isEqualTo(201);
    assertThat(zoneRule.json().get("ip").asText()).isEqualTo("127.0.0.1/32");
    RawClient.Response blocked = edge.get("shop.example", "/");
    assertThat(blocked.status()).isEqualTo(403);
    assertThat(blocked.body()).contains("1006");
    assertThat(admin("DELETE", "/api/zones/shop.example/ip_access/127.0.0.1", null).status()).isEqualTo(200);
    assertThat(edge.get("shop.example", "/").status()).isEqualTo(200);

    assertThat(admin("POST", "/api/ip_access", "{\"ip\": \"127.0.0.0/8\", \"action\": \"block\"}").status()).isEqualTo(201);
    assertThat(edge.get("shop.example", "/").status()).isEqualTo(403);
    assertThat(admin("PATCH", "/api/ip_access/127.0.0.0%2F8", "{\"enabled\": false}").json().get("enabled").asBoolean()).isFalse();
    assertThat(edge.get("shop.example", "/").status()).isEqualTo(200);
    assertThat(ids("/api/ip_access")).containsExactly("127.0.0.0/8");
    // the zone's emptied list keeps its key; the edge's list goes at the end of the file, at the top level
    assertThat(Files.readString(edge.configFile()))
        .endsWith("    ip_access:\nip_access:\n  - { ip: \"127.0.0.0/8\", action: block, enabled: false }\n");
  }

  @Test
  void cacheSettingsChangePartlyAndNullPutsThemBackToTheirDefaults() throws Exception {
    JsonNode cache = admin("GET", "/api/zones/shop.example", null).json().get("cache");
    assertThat(cache.get("default_ttl").asText()).isEqualTo("2h");
    assertThat(cache.get("always_online").get("window").asText()).isEqualTo("1d");

    assertThat(edge.get("shop.example", "/style.css").header("edge-cache-status")).isNotNull();

    AdminClient.Response r = admin("PATCH", "/api/zones/shop.example/settings",
        "{\"cache\": {\"enabled\": false, \"always_online\": {\"banner\": true}}}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("cache").get("enabled").asBoolean()).isFalse();
    assertThat(r.json().get("cache").get("always_online").get("banner").asBoolean()).isTrue();
    assertThat(edge.get("shop.example", "/style.css").header("edge-cache-status")).isNull(); // a zone without a cache skips it

    AdminClient.Response ttl = admin("PATCH", "/api/zones/shop.example/settings", "{\"cache\": {\"default_ttl\": \"3h\", \"enabled\": null}}");
    assertThat(ttl.json().get("cache").get("default_ttl").asText()).isEqualTo("3h");
    assertThat(ttl.json().get("cache").get("enabled").asBoolean()).isTrue();
    assertThat(ttl.json().get("cache").get("always_online").get("banner").asBoolean()).isTrue();

    AdminClient.Response reset = admin("PATCH", "/api/zones/shop.example/settings", "{\"cache\": null, \"origin_ports\": {\"https\": 8443}}");
    assertThat(reset.status()).isEqualTo(200);
    assertThat(reset.json().get("cache").get("default_ttl").asText()).isEqualTo("2h");
    assertThat(reset.json().get("origin_ports").get("https").asInt()).isEqualTo(8443);
    assertThat(Files.readString(edge.configFile())).doesNotContain("cache:").contains("origin_ports: { http: " + origin.port() + ", https: 8443 }");

    AdminClient.Response bad = admin("PATCH", "/api/zones/shop.example/settings", "{\"cache\": {\"default_ttl\": \"soon\"}}");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.json().get("error").get("field").asText()).isEqualTo("zones[0].cache.default_ttl");
  }

  @Test
  void cacheRulesAreReadAndReplacedAsAWholeOrderedList() throws Exception {
    assertThat(admin("GET", "/api/zones/shop.example/cache/rules", null).json()).isEmpty();
    AdminClient.Response put = admin("PUT", "/api/zones/shop.example/cache/rules",
        "[{\"path\": \"/api/*\", \"bypass\": true}, {\"path\": \"/assets/*\", \"edge_ttl\": \"7d\"}]");
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.json().get(1).get("edge_ttl").asText()).isEqualTo("7d");
    assertThat(edge.get("shop.example", "/api/x").header("edge-cache-status")).isEqualTo("BYPASS");

    AdminClient.Response bad = admin("PUT", "/api/zones/shop.example/cache/rules", "[{\"host\": \"shop.example\", \"bypass\": \"maybe\"}]");
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.json().get("error").get("field").asText()).isEqualTo("zones[0].cache.rules[0].bypass");
    assertThat(admin("GET", "/api/zones/shop.example/cache/rules", null).json()).hasSize(2);
  }
}
