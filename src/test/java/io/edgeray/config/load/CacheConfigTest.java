package io.edgeray.config.load;

import io.edgeray.config.ConfigException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgeray.cache.CacheKeySettings;
import io.edgeray.cache.CacheRule;
import io.edgeray.cache.CacheSettings;
import io.edgeray.cache.CacheStorageSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A zone's cache: block, with its defaults and every error naming its line. */
class CacheConfigTest {
  private static final String HEAD = """
      node: AMS
      listen: { http: 127.0.0.1:8080 }
      zones:
        - name: shop.example
      """;

  private static CacheSettings cache(String block) throws ConfigException {
    return ConfigLoader.parse("edge.yaml", HEAD + block).zones().get(0).features().get(CacheSettings.class, null);
  }

  private static void fails(String block, String message) {
    assertThatThrownBy(() -> cache(block)).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  @Test
  void aZoneWithoutACacheBlockGetsTheSafeDefaults() throws Exception {
    CacheSettings c = cache("");
    assertThat(c).isEqualTo(CacheSettings.DEFAULTS);
    assertThat(c.enabled()).isTrue();
    assertThat(c.respectOrigin()).isTrue();
    assertThat(c.alwaysOnline()).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void everyCacheKeyIsRead() throws Exception {
    CacheSettings c = cache("""
            cache:
              enabled: true
              respect_origin: false
              default_ttl: 1h
              edge_ttl: 10m
              browser_ttl: 2m
              max_object_size: 64MiB
              cache_key: { query: sort, headers: [Accept-Language], cookies: [lang] }
              stale_while_revalidate: 30s
              always_online: off
              rules:
                - { host: "*.shop.example", path: "/assets/*", cache_everything: true, edge_ttl: 1d, browser_ttl: 1h }
                - { path: "/admin/*", bypass: true }
                - { path: "/promo", cache_set_cookie: true }
        """);
    assertThat(c.respectOrigin()).isFalse();
    assertThat(c.defaultTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(c.edgeTtl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.browserTtl()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.maxObjectSize()).isEqualTo(64L * 1024 * 1024);
    assertThat(c.cacheKey()).isEqualTo(new CacheKeySettings(CacheKeySettings.QueryMode.SORT, List.of("accept-language"), List.of("lang")));
    assertThat(c.staleWhileRevalidate()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.alwaysOnline()).isZero();
    assertThat(c.rules()).containsExactly(
        new CacheRule("*.shop.example", "/assets/*", false, true, Duration.ofDays(1), Duration.ofHours(1), false),
        new CacheRule(null, "/admin/*", true, false, null, null, false),
        new CacheRule(null, "/promo", false, false, null, null, true));
  }

  @Test
  void theFirstMatchingRuleWins() throws Exception {
    CacheSettings c = cache("""
            cache:
              rules:
                - { path: "/admin/*", bypass: true }
                - { path: "*", cache_everything: true }
        """);
    assertThat(c.ruleFor("shop.example", "/admin/users").bypass()).isTrue();
    assertThat(c.ruleFor("shop.example", "/index.html").cacheEverything()).isTrue();
    assertThat(c.ruleFor("www.shop.example", "/admin").bypass()).isFalse();
  }

  @Test
  void aHostRuleMatchesItsHostOrItsSubdomains() {
    CacheRule exact = new CacheRule("static.shop.example", null, true, false, null, null, false);
    CacheRule sub = new CacheRule("*.shop.example", null, true, false, null, null, false);
    assertThat(exact.matches("static.shop.example", "/x")).isTrue();
    assertThat(exact.matches("www.shop.example", "/x")).isFalse();
    assertThat(sub.matches("www.shop.example", "/x")).isTrue();
    assertThat(sub.matches("shop.example", "/x")).isFalse();
  }

  @Test
  void aMisspeltKeyNamesItsLine() {
    fails("""
            cache:
              default_tll: 1h
        """, "edge.yaml:6: zones[0].cache.default_tll: unknown key (known here: enabled, respect_origin, default_ttl, edge_ttl, "
        + "browser_ttl, max_object_size, cache_key, stale_while_revalidate, always_online, rules)");
  }

  @Test
  void aWrongQueryModeNamesItsLine() {
    fails("""
            cache:
              cache_key: { query: random }
        """, "edge.yaml:6: zones[0].cache.cache_key.query: \"random\" is not a query mode (include, ignore or sort)");
  }

  @Test
  void aRuleWithoutHostOrPathIsRefused() {
    fails("""
            cache:
              rules:
                - { bypass: true }
        """, "edge.yaml:7: zones[0].cache.rules[0]: a cache rule needs host:, path: or both");
  }

  @Test
  void bypassWithCacheEverythingIsRefused() {
    fails("""
            cache:
              rules:
                - { path: /x, bypass: true, cache_everything: true }
        """, "edge.yaml:7: zones[0].cache.rules[0]: bypass: true cannot be combined with cache_everything, edge_ttl or cache_set_cookie");
  }

  @Test
  void aBadDurationNamesItsLine() {
    fails("""
            cache:
              edge_ttl: forever
        """, "edge.yaml:6: zones[0].cache.edge_ttl: \"forever\" is not a duration (write it as 30s, 10m, 2h or 7d)");
  }

  @Test
  void keyingOnTheWholeCookieHeaderIsRefused() {
    fails("""
            cache:
              cache_key: { headers: [Cookie] }
        """, "edge.yaml:6: zones[0].cache.cache_key.headers: key on single cookies with cookies: [...], not on the whole Cookie header");
  }

  private static CacheStorageSettings storage(String block) throws ConfigException {
    String yaml = "node: AMS\nlisten: { http: 127.0.0.1:8080 }\n" + block + "zones:\n  - name: shop.example\n";
    return ConfigLoader.parse("/etc/edgeray/edge.yaml", yaml).features().get(CacheStorageSettings.class, null);
  }

  @Test
  void withoutCacheStorageTheCacheIsInMemoryOnly() throws Exception {
    CacheStorageSettings s = storage("");
    assertThat(s).isEqualTo(CacheStorageSettings.DEFAULTS);
    assertThat(s.diskPath()).isNull();
    assertThat(s.memoryBytes()).isEqualTo(256L << 20);
  }

  @Test
  void cacheStorageReadsTheMemoryAndDiskTiersWithTheDiskPathRelativeToTheConfigFile() throws Exception {
    CacheStorageSettings s = storage("""
        cache_storage:
          memory: 64MiB
          memory_object: 2MiB
          disk: { path: ../cache, size: 10GiB, min_free: 1GiB }
        """);
    assertThat(s.memoryBytes()).isEqualTo(64L << 20);
    assertThat(s.memoryObjectLimit()).isEqualTo(2L << 20);
    assertThat(s.diskPath()).isEqualTo(java.nio.file.Path.of("/etc/cache"));
    assertThat(s.diskBytes()).isEqualTo(10L << 30);
    assertThat(s.minFreeDisk()).isEqualTo(1L << 30);
  }

  @Test
  void aDiskTierWithoutASizeNamesItsLine() {
    assertThatThrownBy(() -> storage("cache_storage:\n  disk: { path: /var/cache/edgeray }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("/etc/edgeray/edge.yaml:4: cache_storage.disk.size: is required");
  }

  @Test
  void aBadStorageSizeOrAnUnknownKeyNamesItsLine() {
    assertThatThrownBy(() -> storage("cache_storage:\n  memory: lots\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("/etc/edgeray/edge.yaml:4: cache_storage.memory: \"lots\" is not a size (write it as 131072, 128KiB or 1MiB)");
    assertThatThrownBy(() -> storage("cache_storage:\n  disk: { path: /c, size: 1GiB, sise: 2 }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("/etc/edgeray/edge.yaml:4: cache_storage.disk.sise:");
  }

  @Test
  void alwaysOnlineTakesAWindowAndABannerThatIsOffByDefault() throws Exception {
    assertThat(cache("").staleBanner()).isFalse();
    CacheSettings c = cache("""
            cache:
              always_online: { window: 2h, banner: true }
        """);
    assertThat(c.alwaysOnline()).isEqualTo(Duration.ofHours(2));
    assertThat(c.staleBanner()).isTrue();
    assertThat(cache("    cache: { always_online: 3h }\n").alwaysOnline()).isEqualTo(Duration.ofHours(3));
    fails("""
            cache:
              always_online: { banner: maybe }
        """, "edge.yaml:6: zones[0].cache.always_online.banner: expected true or false, found \"maybe\"");
  }
}
