package io.edgeray.cache;

import static io.edgeray.cache.CacheFixtures.T0;
import static io.edgeray.cache.CacheFixtures.date;
import static io.edgeray.cache.CacheFixtures.entry;
import static io.edgeray.cache.CacheFixtures.headers;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlwaysOnlineTest {
  private static Optional<AlwaysOnline.Reason> decide(String cc, Duration later, int failure, CacheSettings zone) {
    EntryMeta e = entry(200, headers("Cache-Control", cc, "Date", date(T0)), T0);
    return AlwaysOnline.staleAllowed(e, failure, T0.plus(later), zone, CacheRule.NONE);
  }

  private static CacheSettings window(Duration d) {
    return new CacheSettings(true, true, Duration.ofHours(2), null, null, 1000, CacheKeySettings.DEFAULTS, Duration.ZERO, d, List.of());
  }

  @Test
  void aStaleCopyInsideTheAlwaysOnlineWindowStandsInForEveryOriginFailure() {
    for (int code : List.of(520, 521, 522, 523, 524, 525, 526, 530)) {
      assertThat(decide("max-age=60", Duration.ofHours(5), code, CacheSettings.DEFAULTS)).as("%d", code)
          .contains(AlwaysOnline.Reason.ALWAYS_ONLINE);
    }
  }

  @Test
  void aCopyOlderThanTheWindowIsNotServed() {
    assertThat(decide("max-age=60", Duration.ofDays(2), 521, CacheSettings.DEFAULTS)).isEmpty();
  }

  @Test
  void theOriginsOwnErrorsAreNotOriginFailures() {
    assertThat(decide("max-age=60", Duration.ofMinutes(5), 502, CacheSettings.DEFAULTS)).isEmpty();
    assertThat(decide("max-age=60", Duration.ofMinutes(5), 500, CacheSettings.DEFAULTS)).isEmpty();
  }

  @Test
  void alwaysOnlineOffServesNothingWithoutStaleIfError() {
    assertThat(decide("max-age=60", Duration.ofMinutes(5), 521, window(Duration.ZERO))).isEmpty();
  }

  @Test
  void staleIfErrorAllowsAStaleCopyWithAlwaysOnlineOff() {
    assertThat(decide("max-age=60, stale-if-error=600", Duration.ofMinutes(5), 522, window(Duration.ZERO)))
        .contains(AlwaysOnline.Reason.STALE_IF_ERROR);
    assertThat(decide("max-age=60, stale-if-error=600", Duration.ofMinutes(20), 522, window(Duration.ZERO))).isEmpty();
  }

  @Test
  void mustRevalidateForbidsAlwaysOnlineButNotAnExplicitStaleIfError() {
    assertThat(decide("max-age=60, must-revalidate", Duration.ofMinutes(5), 521, CacheSettings.DEFAULTS)).isEmpty();
    assertThat(decide("no-cache", Duration.ofMinutes(5), 521, CacheSettings.DEFAULTS)).isEmpty();
    assertThat(decide("max-age=60, must-revalidate, stale-if-error=3600", Duration.ofMinutes(5), 521, CacheSettings.DEFAULTS))
        .contains(AlwaysOnline.Reason.STALE_IF_ERROR);
  }
}
