package io.edgeray.cache;

import static io.edgeray.cache.CacheFixtures.T0;
import static io.edgeray.cache.CacheFixtures.date;
import static io.edgeray.cache.CacheFixtures.headers;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreshnessTest {
  private static final CacheSettings ZONE = CacheSettings.DEFAULTS;

  private static Freshness.Lifetime life(int status, HttpHeaders h) {
    return Freshness.lifetime(status, h, T0, ZONE, CacheRule.NONE);
  }

  @Test
  void sMaxAgeWinsOverMaxAgeForTheEdge() {
    assertThat(life(200, headers("Cache-Control", "max-age=60, s-maxage=600")))
        .isEqualTo(new Freshness.Lifetime(Duration.ofSeconds(600), Freshness.Source.S_MAXAGE));
  }

  @Test
  void maxAgeWinsOverExpires() {
    var l = life(200, headers("Cache-Control", "max-age=60", "Date", date(T0), "Expires", date(T0.plusSeconds(3600))));
    assertThat(l.value()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void expiresCountsFromTheResponsesDate() {
    var l = life(200, headers("Date", date(T0.minusSeconds(100)), "Expires", date(T0.plusSeconds(200))));
    assertThat(l).isEqualTo(new Freshness.Lifetime(Duration.ofSeconds(300), Freshness.Source.EXPIRES));
  }

  @Test
  void anInvalidExpiresMeansAlreadyExpired() {
    assertThat(life(200, headers("Expires", "0")).value()).isZero();
  }

  @Test
  void theHeuristicIsTenPercentOfTheTimeSinceLastModified() {
    var l = life(200, headers("Date", date(T0), "Last-Modified", date(T0.minus(Duration.ofMinutes(100)))));
    assertThat(l).isEqualTo(new Freshness.Lifetime(Duration.ofMinutes(10), Freshness.Source.HEURISTIC));
  }

  @Test
  void theHeuristicIsCappedAtTheDefaultTtl() {
    var l = life(200, headers("Date", date(T0), "Last-Modified", date(T0.minus(Duration.ofDays(365)))));
    assertThat(l.value()).isEqualTo(CacheSettings.DEFAULT_TTL);
  }

  @Test
  void onlyHeuristicallyCacheableCodesGetAHeuristicLifetime() {
    HttpHeaders h = headers("Date", date(T0), "Last-Modified", date(T0.minus(Duration.ofDays(1))));
    for (int code : List.of(200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501)) {
      assertThat(life(code, h).source()).as("status %d", code).isEqualTo(Freshness.Source.HEURISTIC);
    }
    for (int code : List.of(201, 302, 303, 307, 400, 403, 500, 502, 503)) {
      assertThat(life(code, h).source()).as("status %d", code).isEqualTo(Freshness.Source.NONE);
    }
  }

  @Test
  void publicAllowsAHeuristicForAnyCode() {
    HttpHeaders h = headers("Cache-Control", "public", "Date", date(T0), "Last-Modified", date(T0.minus(Duration.ofMinutes(10))));
    assertThat(life(302, h).value()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void anEtagWithoutFreshnessGetsTheDefaultTtl() {
    assertThat(life(200, headers("ETag", "\"v1\""))).isEqualTo(new Freshness.Lifetime(CacheSettings.DEFAULT_TTL, Freshness.Source.DEFAULT_TTL));
  }

  @Test
  void noFreshnessAndNoValidatorsIsNoLifetime() {
    assertThat(life(200, headers()).source()).isEqualTo(Freshness.Source.NONE);
  }

  @Test
  void cdnCacheControlTakesPrecedenceOverCacheControlAndExpiresForTheEdge() {
    HttpHeaders h = headers("Cache-Control", "s-maxage=1000", "CDN-Cache-Control", "max-age=30",
        "Date", date(T0), "Expires", date(T0.plusSeconds(5000)));
    assertThat(life(200, h)).isEqualTo(new Freshness.Lifetime(Duration.ofSeconds(30), Freshness.Source.MAX_AGE));
  }

  @Test
  void theEdgerayTargetedFieldWinsOverCdnCacheControl() {
    HttpHeaders h = headers("CDN-Cache-Control", "max-age=30", "Edgeray-CDN-Cache-Control", "max-age=7");
    assertThat(life(200, h).value()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void anEmptyTargetedFieldIsIgnored() {
    HttpHeaders h = headers("CDN-Cache-Control", "", "Cache-Control", "max-age=40");
    assertThat(life(200, h).value()).isEqualTo(Duration.ofSeconds(40));
  }

  @Test
  void anEdgeTtlOverridesWhateverTheOriginSays() {
    CacheRule rule = new CacheRule(null, "/static/*", false, false, Duration.ofDays(1), null, false);
    var l = Freshness.lifetime(200, headers("Cache-Control", "max-age=5"), T0, ZONE, rule);
    assertThat(l).isEqualTo(new Freshness.Lifetime(Duration.ofDays(1), Freshness.Source.EDGE_TTL));
  }

  @Test
  void withoutRespectOriginEveryObjectGetsTheDefaultTtl() {
    CacheSettings zone = new CacheSettings(true, false, Duration.ofMinutes(30), null, null, 1000, CacheKeySettings.DEFAULTS,
        Duration.ZERO, Duration.ZERO, List.of());
    assertThat(Freshness.lifetime(200, headers("Cache-Control", "max-age=5"), T0, zone, CacheRule.NONE).value())
        .isEqualTo(Duration.ofMinutes(30));
  }
}
