package io.edgeray.config.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.cache.CacheSettings;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.security.IpAccessList;
import io.edgeray.security.ZoneSecurity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule lists, cache settings and the null reset against a real file: each change touches only
 * its own lines, keeps the comments around them, and a refused one leaves the file as it was.
 */
class RuleEditsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORIGINAL = """
      node: T1
      listen: { http: 127.0.0.1:0 }
      access_log: "-"
      ip_access:
        - { ip: 198.51.100.0/24, action: block }   # abuse reports
      zones:
        - name: shop.example
          ssl: full   # the origin has a self-signed certificate
          cache:
            default_ttl: 1h   # short: prices change
            always_online: 3d
            cache_key: { query: ignore }
          records:
            - { type: A, name: "@", content: 127.0.0.1, proxied: true }
          firewall:
            # the office only
            - id: admin-office-only
              description: The admin pages are open to the office only
              expression: |
                http.request.uri.path.startsWith("/admin")
              action: block
            - { id: no-php, expression: 'http.request.uri.path.endsWith(".php")', action: block }
          rate_limits:
            - id: login
              requests: 5
              period: 1m
              action: block
        - name: blog.example
          records: []
      """;

  @TempDir Path dir;
  private Path file;
  private final AtomicReference<EdgeConfig> running = new AtomicReference<>();
  private ConfigEditor editor;

  @BeforeEach
  void write() throws Exception {
    file = dir.resolve("edge.yaml");
    Files.writeString(file, ORIGINAL);
    running.set(ConfigLoader.load(file));
    editor = new ConfigEditor(file, () -> null, running::get, running::set, new AtomicFile());
  }

  private String text() throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static JsonNode json(String s) throws IOException {
    return JSON.readTree(s);
  }

  private CacheSettings cache(int zone) {
    return running.get().zones().get(zone).features().get(CacheSettings.class, CacheSettings.DEFAULTS);
  }

  private ZoneSecurity security(int zone) {
    return ZoneSecurity.of(running.get().zones().get(zone));
  }

  @Test
  void onePartialCacheSettingChangesOnlyThatKeyAndItsComment() throws Exception {
    editor.edit(Edits.zoneSettings("shop.example", json("{\"cache\": {\"default_ttl\": \"2h\", \"cache_key\": {\"query\": \"sort\"}}}")));
    assertThat(text()).isEqualTo(ORIGINAL.replace("default_ttl: 1h   # short", "default_ttl: 2h   # short")
        .replace("cache_key: { query: ignore }", "cache_key: { query: sort }"));
    assertThat(cache(0).defaultTtl()).isEqualTo(Duration.ofHours(2));
    assertThat(cache(0).alwaysOnline()).isEqualTo(Duration.ofDays(3));
  }

  @Test
  void nullRemovesASettingsLinesSoItIsBackToItsDefault() throws Exception {
    editor.edit(Edits.zoneSettings("shop.example", json("{\"ssl\": null, \"cache\": {\"default_ttl\": null}}")));
    assertThat(text()).isEqualTo(ORIGINAL.replace("    ssl: full   # the origin has a self-signed certificate\n", "")
        .replace("      default_ttl: 1h   # short: prices change\n", ""));
    assertThat(cache(0).defaultTtl()).isEqualTo(CacheSettings.DEFAULT_TTL);
    assertThat(running.get().zones().get(0).tls().ssl().configName()).isEqualTo("full");
  }

  @Test
  void nullInAFlowMappingRemovesTheEntryAndItsComma() throws Exception {
    editor.edit(Edits.zoneSettings("shop.example", json("{\"cache\": {\"cache_key\": {\"query\": null}}}")));
    assertThat(text()).isEqualTo(ORIGINAL.replace("cache_key: { query: ignore }", "cache_key: {}"));
  }

  @Test
  void theBannerAloneKeepsTheShortFormsWindow() throws Exception {
    editor.edit(Edits.zoneSettings("shop.example", json("{\"cache\": {\"always_online\": {\"banner\": true}}}")));
    assertThat(text()).isEqualTo(ORIGINAL.replace("always_online: 3d", "always_online: { window: 3d, banner: true }"));
    assertThat(cache(0).staleBanner()).isTrue();
    assertThat(cache(0).alwaysOnline()).isEqualTo(Duration.ofDays(3));
  }

  @Test
  void aZoneWithoutACacheBlockGetsOneLine() throws Exception {
    editor.edit(Edits.zoneSettings("blog.example", json("{\"cache\": {\"enabled\": false}}")));
    assertThat(text()).isEqualTo(ORIGINAL.replace("    records: []\n", "    records: []\n    cache: { enabled: false }\n"));
    assertThat(cache(1).enabled()).isFalse();
  }

  @Test
  void aNewFirewallRuleIsOneLineAfterTheLast() throws Exception {
    editor.edit(RuleEdits.add("shop.example", RuleList.FIREWALL,
        json("{\"id\": \"no-bots\", \"action\": \"block\", \"expression\": \"http.user_agent.contains(\\\"bot\\\")\"}")));
    assertThat(text()).isEqualTo(ORIGINAL.replace("'http.request.uri.path.endsWith(\".php\")', action: block }\n",
        "'http.request.uri.path.endsWith(\".php\")', action: block }\n"
            + "      - { id: no-bots, expression: \"http.user_agent.contains(\\\"bot\\\")\", action: block }\n"));
    assertThat(security(0).firewall()).extracting(r -> r.id()).containsExactly("admin-office-only", "no-php", "no-bots");
  }

  @Test
  void disablingABlockRuleAddsOneLineAndKeepsItsLiteralExpression() throws Exception {
    editor.edit(RuleEdits.update("shop.example", RuleList.FIREWALL, "admin-office-only", json("{\"enabled\": false}")));
    assertThat(text()).isEqualTo(ORIGINAL.replace("        action: block\n      - { id: no-php",
        "        action: block\n        enabled: false\n      - { id: no-php"));
    assertThat(security(0).firewall().get(0).enabled()).isFalse();
  }

  @Test
  void aLiteralExpressionReplacedKeepsTheNextKeyOnItsLine() throws Exception {
    editor.edit(RuleEdits.update("shop.example", RuleList.FIREWALL, "admin-office-only",
        json("{\"expression\": \"http.request.uri.path == \\\"/admin\\\"\"}")));
    assertThat(text()).isEqualTo(ORIGINAL.replace("""
                expression: |
                  http.request.uri.path.startsWith("/admin")
        """, """
                expression: "http.request.uri.path == \\"/admin\\""
        """));
  }

  @Test
  void aBadExpressionIsRefusedWithItsKeyPathAndColumnAndNothingChanges() throws Exception {
    assertThatThrownBy(() -> editor.edit(RuleEdits.add("shop.example", RuleList.FIREWALL,
        json("{\"id\": \"typo\", \"expression\": \"http.hots == \\\"a\\\"\", \"action\": \"block\"}"))))
        .isInstanceOfSatisfying(EditRefused.class, e -> {
          assertThat(e.status()).isEqualTo(422);
          assertThat(e.field()).isEqualTo("zones[0].firewall[2].expression");
          assertThat(e.getMessage()).isEqualTo("column 1: undeclared reference to 'http'");
        });
    assertThat(text()).isEqualTo(ORIGINAL);
    assertThat(security(0).firewall()).hasSize(2);
  }

  @Test
  void deletingABlockRuleRemovesItsLinesAndTheCommentAboveTheListStays() throws Exception {
    editor.edit(RuleEdits.delete("shop.example", RuleList.FIREWALL, "admin-office-only"));
    assertThat(text()).isEqualTo(ORIGINAL.replace("      - id: admin-office-only\n"
        + "        description: The admin pages are open to the office only\n"
        + "        expression: |\n"
        + "          http.request.uri.path.startsWith(\"/admin\")\n"
        + "        action: block\n", ""));
  }

  @Test
  void theWholeListReplacedInOrderKeepsItsPlaceAndIndentation() throws Exception {
    editor.edit(RuleEdits.replace("shop.example", RuleList.RATE_LIMITS, json("""
        [{"id": "api", "requests": 100, "period": "1m", "action": "log", "expression": null},
         {"id": "login", "requests": 3, "period": "1m", "action": "block", "enabled": false}]""")));
    assertThat(text()).isEqualTo(ORIGINAL.replace("      - id: login\n        requests: 5\n        period: 1m\n        action: block\n",
        "      - { id: api, requests: 100, period: 1m, action: log }\n"
            + "      - { id: login, requests: 3, period: 1m, action: block, enabled: false }\n"));
    assertThat(security(0).rateLimits()).extracting(r -> r.id() + " " + r.enabled()).containsExactly("api true", "login false");
  }

  @Test
  void anIpRuleIsFoundByItsBlockAndTheEdgesListByNoZone() throws Exception {
    editor.edit(RuleEdits.update(null, RuleList.IP_ACCESS, "198.51.100.0/24", json("{\"action\": \"log\", \"enabled\": false}")));
    assertThat(text()).isEqualTo(ORIGINAL.replace("{ ip: 198.51.100.0/24, action: block }", "{ ip: 198.51.100.0/24, action: log, enabled: false }"));
    assertThat(IpAccessList.of(running.get()).rules().get(0).enabled()).isFalse();
    editor.edit(RuleEdits.add("blog.example", RuleList.IP_ACCESS, json("{\"ip\": \"192.0.2.7\", \"action\": \"block\", \"note\": \"a: scraper\"}")));
    assertThat(text()).contains("    records: []\n    ip_access:\n      - { ip: 192.0.2.7, action: block, note: \"a: scraper\" }\n");
    assertThat(RuleList.IP_ACCESS.indexOf(running.get(), 1, "192.0.2.7/32")).isZero();
  }

  @Test
  void cacheRulesReplacedAreCheckedByTheLoader() throws Exception {
    assertThatThrownBy(() -> editor.edit(RuleEdits.replaceCacheRules("shop.example", json("[{\"path\": \"assets/*\"}]"))))
        .isInstanceOfSatisfying(EditRefused.class, e -> assertThat(e.field()).isEqualTo("zones[0].cache.rules[0].path"));
    editor.edit(RuleEdits.replaceCacheRules("shop.example", json("[{\"path\": \"/assets/*\", \"edge_ttl\": \"7d\", \"host\": null}]")));
    assertThat(text()).isEqualTo(ORIGINAL.replace("cache_key: { query: ignore }\n",
        "cache_key: { query: ignore }\n      rules:\n        - { path: \"/assets/*\", edge_ttl: 7d }\n"));
    assertThat(cache(0).rules()).hasSize(1);
    assertThat(cache(0).rules().get(0).edgeTtl()).isEqualTo(Duration.ofDays(7));
  }
}
