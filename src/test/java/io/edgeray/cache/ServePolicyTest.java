package io.edgeray.cache;

import static io.edgeray.cache.CacheFixtures.T0;
import static io.edgeray.cache.CacheFixtures.date;
import static io.edgeray.cache.CacheFixtures.entry;
import static io.edgeray.cache.CacheFixtures.headers;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.cache.ServePolicy.Verdict;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServePolicyTest {
  private static Verdict verdict(String responseCc, int secondsLater, String... requestHeaders) {
    return evaluate(responseCc, secondsLater, CacheSettings.DEFAULTS, requestHeaders).verdict();
  }

  private static ServePolicy.Evaluation evaluate(String responseCc, int secondsLater, CacheSettings zone, String... requestHeaders) {
    EntryMeta e = entry(200, headers("Cache-Control", responseCc, "Date", date(T0), "ETag", "\"1\""), T0);
    return ServePolicy.evaluate(e, headers(requestHeaders), T0.plusSeconds(secondsLater), zone, CacheRule.NONE);
  }

  @Test
  void aStoredResponseYoungerThanItsLifetimeIsFresh() {
    assertThat(verdict("max-age=60", 59)).isEqualTo(Verdict.FRESH);
    assertThat(evaluate("max-age=60", 20, CacheSettings.DEFAULTS).ttlSeconds()).isEqualTo(40);
  }

  @Test
  void aStoredResponseAtItsLifetimeMustBeRevalidated() {
    var e = evaluate("max-age=60", 60, CacheSettings.DEFAULTS);
    assertThat(e.verdict()).isEqualTo(Verdict.REVALIDATE);
    assertThat(e.fwd()).isEqualTo("stale");
  }

  @Test
  void noCacheInTheResponseAlwaysRevalidatesEvenWhenFresh() {
    assertThat(verdict("max-age=600, no-cache", 1)).isEqualTo(Verdict.REVALIDATE);
  }

  @Test
  void noCacheNamingFieldsServesWithoutThem() {
    assertThat(verdict("max-age=600, no-cache=\"Set-Cookie\"", 1)).isEqualTo(Verdict.FRESH);
  }

  @Test
  void theRequestsNoCacheGoesToTheOrigin() {
    var e = evaluate("max-age=600", 1, CacheSettings.DEFAULTS, "Cache-Control", "no-cache");
    assertThat(e.verdict()).isEqualTo(Verdict.REVALIDATE);
    assertThat(e.fwd()).isEqualTo("request");
    assertThat(verdict("max-age=600", 1, "Pragma", "no-cache")).isEqualTo(Verdict.REVALIDATE);
  }

  @Test
  void theRequestsMaxAgeRefusesAnOlderCopy() {
    assertThat(verdict("max-age=600", 30, "Cache-Control", "max-age=10")).isEqualTo(Verdict.REVALIDATE);
    assertThat(verdict("max-age=600", 5, "Cache-Control", "max-age=10")).isEqualTo(Verdict.FRESH);
  }

  @Test
  void theRequestsMinFreshWantsThatMuchFreshnessLeft() {
    assertThat(verdict("max-age=60", 30, "Cache-Control", "min-fresh=40")).isEqualTo(Verdict.REVALIDATE);
    assertThat(verdict("max-age=60", 10, "Cache-Control", "min-fresh=40")).isEqualTo(Verdict.FRESH);
  }

  @Test
  void theRequestsMaxStaleAcceptsAStaleCopy() {
    assertThat(verdict("max-age=60", 100, "Cache-Control", "max-stale=50")).isEqualTo(Verdict.STALE_ACCEPTED);
    assertThat(verdict("max-age=60", 200, "Cache-Control", "max-stale=50")).isEqualTo(Verdict.REVALIDATE);
    assertThat(verdict("max-age=60", 99999, "Cache-Control", "max-stale")).isEqualTo(Verdict.STALE_ACCEPTED);
  }

  @Test
  void mustRevalidateProxyRevalidateAndSMaxAgeForbidServingStale() {
    for (String cc : List.of("max-age=60, must-revalidate", "max-age=60, proxy-revalidate", "s-maxage=60")) {
      assertThat(verdict(cc, 100, "Cache-Control", "max-stale")).as(cc).isEqualTo(Verdict.REVALIDATE);
    }
  }

  @Test
  void staleWhileRevalidateServesTheStaleCopyAndRefreshes() {
    assertThat(verdict("max-age=60, stale-while-revalidate=30", 80)).isEqualTo(Verdict.STALE_WHILE_REVALIDATE);
    assertThat(verdict("max-age=60, stale-while-revalidate=30", 91)).isEqualTo(Verdict.REVALIDATE);
  }

  @Test
  void theZonesStaleWhileRevalidateAppliesWhenTheResponseSaysNothing() {
    CacheSettings zone = new CacheSettings(true, true, Duration.ofHours(2), null, null, 1000, CacheKeySettings.DEFAULTS,
        Duration.ofSeconds(60), Duration.ZERO, List.of());
    assertThat(evaluate("max-age=60", 100, zone).verdict()).isEqualTo(Verdict.STALE_WHILE_REVALIDATE);
  }

  @Test
  void ageIncludesTheAgeHeaderTheOriginSent() {
    EntryMeta e = entry(200, headers("Cache-Control", "max-age=60", "Date", date(T0), "Age", "50"), T0);
    assertThat(ServePolicy.evaluate(e, headers(), T0.plusSeconds(15), CacheSettings.DEFAULTS, CacheRule.NONE).verdict())
        .isEqualTo(Verdict.REVALIDATE);
  }
}
