package io.edgeray.cache;

import static io.edgeray.cache.CacheFixtures.T0;
import static io.edgeray.cache.CacheFixtures.date;
import static io.edgeray.cache.CacheFixtures.headers;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EntryAgeTest {
  @Test
  void theApparentAgeCountsWhenTheDateIsOlderThanTheAgeHeaderSays() {
    var h = headers("Date", date(T0.minusSeconds(50)), "Age", "10");
    assertThat(EntryAge.initial(h, T0.minusSeconds(1), T0)).isEqualTo(Duration.ofSeconds(50));
  }

  @Test
  void theAgeHeaderPlusTheResponseDelayCountsWhenItIsLarger() {
    var h = headers("Date", date(T0), "Age", "100");
    assertThat(EntryAge.initial(h, T0.minusSeconds(3), T0)).isEqualTo(Duration.ofSeconds(103));
  }

  @Test
  void theTimeInTheCacheIsAdded() {
    var h = headers("Date", date(T0), "Age", "20");
    Duration initial = EntryAge.initial(h, T0, T0);
    assertThat(EntryAge.current(initial, T0, T0.plusSeconds(40))).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void aDateInTheFutureIsNoNegativeAge() {
    var h = headers("Date", date(T0.plusSeconds(500)));
    assertThat(EntryAge.initial(h, T0, T0)).isZero();
  }

  @Test
  void aBrokenAgeHeaderIsZero() {
    assertThat(EntryAge.ageHeader(headers("Age", "-5"))).isZero();
    assertThat(EntryAge.ageHeader(headers("Age", "soon"))).isZero();
  }
}
