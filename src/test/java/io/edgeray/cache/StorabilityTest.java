package io.edgeray.cache;

import static io.edgeray.cache.CacheFixtures.T0;
import static io.edgeray.cache.CacheFixtures.headers;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StorabilityTest {
  private static StoreDecision decide(String method, HttpHeaders req, int status, HttpHeaders resp, CacheSettings zone, CacheRule rule) {
    return Storability.decide(method, req, status, resp, zone, rule, Freshness.lifetime(status, resp, T0, zone, rule));
  }

  private static StoreDecision decide(HttpHeaders req, int status, HttpHeaders resp) {
    return decide("GET", req, status, resp, CacheSettings.DEFAULTS, CacheRule.NONE);
  }

  @Test
  void aResponseWithMaxAgeIsStored() {
    assertThat(decide(headers(), 200, headers("Cache-Control", "max-age=60")).store()).isTrue();
  }

  @Test
  void noStoreIsNeverStored() {
    assertThat(decide(headers(), 200, headers("Cache-Control", "max-age=60, no-store")))
        .isEqualTo(StoreDecision.bypass("no-store"));
  }

  @Test
  void privateIsNotStoredByASharedCache() {
    assertThat(decide(headers(), 200, headers("Cache-Control", "private, max-age=60")).reason()).isEqualTo("private");
  }

  @Test
  void privateNamingFieldsStillAllowsStoring() {
    assertThat(decide(headers(), 200, headers("Cache-Control", "private=\"X-User\", max-age=60")).store()).isTrue();
  }

  @Test
  void aRequestWithAuthorizationIsNotStoredUnlessTheResponseAllowsIt() {
    HttpHeaders auth = headers("Authorization", "Bearer x");
    assertThat(decide(auth, 200, headers("Cache-Control", "max-age=60")).reason()).isEqualTo("authorization");
    assertThat(decide(auth, 200, headers("Cache-Control", "public, max-age=60")).store()).isTrue();
    assertThat(decide(auth, 200, headers("Cache-Control", "s-maxage=60")).store()).isTrue();
    assertThat(decide(auth, 200, headers("Cache-Control", "max-age=60, must-revalidate")).store()).isTrue();
  }

  @Test
  void setCookieIsNotStoredUnlessARuleSaysSo() {
    HttpHeaders resp = headers("Cache-Control", "max-age=60", "Set-Cookie", "session=abc");
    assertThat(decide(headers(), 200, resp).reason()).isEqualTo("set-cookie");
    CacheRule rule = new CacheRule(null, "/*", false, false, null, null, true);
    assertThat(decide("GET", headers(), 200, resp, CacheSettings.DEFAULTS, rule).store()).isTrue();
  }

  @Test
  void varyStarIsNeverStored() {
    assertThat(decide(headers(), 200, headers("Cache-Control", "max-age=60", "Vary", "Accept, *")).store()).isFalse();
  }

  @Test
  void partialAndNotModifiedResponsesAreNotStored() {
    assertThat(decide(headers(), 206, headers("Cache-Control", "max-age=60")).store()).isFalse();
    assertThat(decide(headers(), 304, headers("Cache-Control", "max-age=60")).store()).isFalse();
  }

  @Test
  void onlyGetResponsesAreStored() {
    assertThat(decide("POST", headers(), 200, headers("Cache-Control", "max-age=60"), CacheSettings.DEFAULTS, CacheRule.NONE).status())
        .isEqualTo(EdgeCacheStatus.DYNAMIC);
    assertThat(decide("HEAD", headers(), 200, headers("Cache-Control", "max-age=60"), CacheSettings.DEFAULTS, CacheRule.NONE).store())
        .isFalse();
  }

  @Test
  void theRequestsNoStoreKeepsTheResponseOut() {
    assertThat(decide(headers("Cache-Control", "no-store"), 200, headers("Cache-Control", "max-age=60")).store()).isFalse();
  }

  @Test
  void aResponseWithoutFreshnessOrValidatorsIsDynamic() {
    assertThat(decide(headers(), 200, headers("Content-Type", "image/png")))
        .isEqualTo(StoreDecision.dynamic("no freshness"));
  }

  @Test
  void htmlWithOnlyAHeuristicLifetimeIsNotStoredUnlessARuleCachesEverything() {
    HttpHeaders resp = headers("Content-Type", "text/html; charset=utf-8", "ETag", "\"a\"");
    assertThat(decide(headers(), 200, resp).status()).isEqualTo(EdgeCacheStatus.DYNAMIC);
    CacheRule everything = new CacheRule(null, "/*", false, true, null, null, false);
    assertThat(decide("GET", headers(), 200, resp, CacheSettings.DEFAULTS, everything).store()).isTrue();
    assertThat(decide(headers(), 200, headers("Content-Type", "text/html", "Cache-Control", "max-age=60")).store()).isTrue();
  }

  @Test
  void cacheEverythingStoresAResponseWithoutAnyFreshness() {
    CacheRule everything = new CacheRule(null, "/*", false, true, null, null, false);
    assertThat(decide("GET", headers(), 200, headers(), CacheSettings.DEFAULTS, everything).store()).isTrue();
  }

  @Test
  void aBodyLargerThanTheLimitIsNotStored() {
    CacheSettings small = new CacheSettings(true, true, Duration.ofHours(1), null, null, 100, CacheKeySettings.DEFAULTS,
        Duration.ZERO, Duration.ZERO, java.util.List.of());
    assertThat(decide("GET", headers(), 200, headers("Cache-Control", "max-age=60", "Content-Length", "101"), small, CacheRule.NONE)
        .reason()).isEqualTo("too large");
  }

  @Test
  void aBypassRuleOrTheCacheTurnedOffIsBypass() {
    HttpHeaders resp = headers("Cache-Control", "max-age=60");
    CacheRule bypass = new CacheRule(null, "/admin/*", true, false, null, null, false);
    assertThat(decide("GET", headers(), 200, resp, CacheSettings.DEFAULTS, bypass)).isEqualTo(StoreDecision.bypass("rule"));
    assertThat(decide("GET", headers(), 200, resp, CacheSettings.DISABLED, CacheRule.NONE)).isEqualTo(StoreDecision.bypass("cache off"));
  }

  @Test
  void noCacheIsStoredToBeRevalidated() {
    assertThat(decide(headers(), 200, headers("Cache-Control", "no-cache", "ETag", "\"1\"")).store()).isTrue();
  }

  @Test
  void anEdgeTtlDoesNotMakeAnUncacheableResponseCacheable() {
    CacheRule ttl = new CacheRule(null, "/*", false, false, Duration.ofHours(1), null, false);
    assertThat(decide("GET", headers(), 200, headers("Content-Type", "application/json"), CacheSettings.DEFAULTS, ttl).store()).isFalse();
    assertThat(decide("GET", headers(), 200, headers("Cache-Control", "max-age=5"), CacheSettings.DEFAULTS, ttl).store()).isTrue();
  }
}
