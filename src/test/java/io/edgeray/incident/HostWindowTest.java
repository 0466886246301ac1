package io.edgeray.incident;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.config.IncidentSettings;
import io.edgeray.failure.EdgeRefusal;
import io.edgeray.failure.OriginFailure;
import io.edgeray.observe.Attempt;
import io.edgeray.observe.RaySummary;
import io.edgeray.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The threshold and the hysteresis, ray by ray, on a clock the test moves. */
class HostWindowTest {
  private static final IncidentSettings DEFAULTS = IncidentSettings.DEFAULTS;
  private final long t0 = TestClock.START.toEpochMilli();
  private final HostWindow w = new HostWindow("shop.example", "shop.example", t0);

  static RaySummary ray(OriginFailure failure) {
    int status = failure == null ? 200 : failure.status();
    return new RaySummary(Instant.EPOCH, "r", "T1", "127.0.0.1", "GET", "shop.example", "/", "shop.example", status,
        failure == null ? 200 : 0, failure, null, null, "127.0.0.1:1",
        List.of(new Attempt("127.0.0.1:1", null, failure, null, 1, false)), 0, 0, 1, 1, 1, "t", false, Map.of());
  }

  @Test
  void tenFailuresThatAreFivePercentOfTheLastMinuteOpen() {
    for (int i = 0; i < 190; i++) assertThat(w.record(ray(null), t0 + i, DEFAULTS)).isNull();
    for (int i = 0; i < 9; i++) assertThat(w.record(ray(OriginFailure.CONNECTION_REFUSED), t0 + 200, DEFAULTS)).isNull();
    // 10 of 200: exactly 5 %
    assertThat(w.record(ray(OriginFailure.CONNECTION_REFUSED), t0 + 300, DEFAULTS)).isNotNull();
  }

  @Test
  void aLateRayOfTheSecondBeforeStillCountsInTheShare() {
    for (int i = 0; i < 190; i++) w.record(ray(null), t0 + i, DEFAULTS);
    for (int i = 0; i < 9; i++) assertThat(w.record(ray(OriginFailure.CONNECTION_REFUSED), t0 + 2_000, DEFAULTS)).isNull();
    // another loop's answered ray of the second before, recorded after this second's sums began
    w.record(ray(null), t0 + 1_999, DEFAULTS);
    // 10 failures of 201 rays: under 5 % (of 200 it would open)
    assertThat(w.record(ray(OriginFailure.CONNECTION_REFUSED), t0 + 2_001, DEFAULTS)).isNull();
    assertThat(w.record(ray(OriginFailure.CONNECTION_REFUSED), t0 + 2_002, DEFAULTS)).isNotNull(); // 11 of 202
  }

  @Test
  void tenFailuresAmongTooManyRaysDoNotOpen() {
    for (int i = 0; i < 191; i++) w.record(ray(null), t0 + i, DEFAULTS);
    for (int i = 0; i < 10; i++) assertThat(w.record(ray(OriginFailure.CONNECTION_REFUSED), t0 + 300, DEFAULTS)).isNull();
  }

  @Test
  void failuresOlderThanAMinuteNoLongerCount() {
    for (int i = 0; i < 9; i++) w.record(ray(OriginFailure.CONNECT_TIMEOUT), t0, DEFAULTS);
    w.record(ray(null), t0 + 1, DEFAULTS); // not all failing either
    assertThat(w.record(ray(OriginFailure.CONNECT_TIMEOUT), t0 + 60_000, DEFAULTS)).isNull();
  }

  @Test
  void everyRayFailingForThirtySecondsOpens() {
    assertThat(w.record(ray(OriginFailure.CONNECT_TIMEOUT), t0, DEFAULTS)).isNull();
    assertThat(w.record(ray(OriginFailure.CONNECT_TIMEOUT), t0 + 29_999, DEFAULTS)).isNull();
    assertThat(w.record(ray(OriginFailure.CONNECT_TIMEOUT), t0 + 30_000, DEFAULTS)).isNotNull();
  }

  @Test
  void oneAnsweredRayEndsTheAllFailingStreak() {
    w.record(ray(OriginFailure.CONNECT_TIMEOUT), t0, DEFAULTS);
    w.record(ray(null), t0 + 10_000, DEFAULTS);
    assertThat(w.record(ray(OriginFailure.CONNECT_TIMEOUT), t0 + 30_000, DEFAULTS)).isNull();
  }

  @Test
  void anOpenIncidentClosesOnlyAfterCloseAfterBelowTheThreshold() {
    for (int i = 0; i < 9; i++) w.record(ray(OriginFailure.CONNECTION_REFUSED), t0, DEFAULTS);
    Incident open = w.record(ray(OriginFailure.CONNECTION_REFUSED), t0, DEFAULTS);
    assertThat(open).isNotNull();
    assertThat(w.tick(t0 + 59_000, DEFAULTS)).as("still in the minute").isNull();
    long calm = t0 + 59_000; // the last check that saw the threshold crossed
    assertThat(w.tick(calm + Duration.ofMinutes(5).toMillis() - 1, DEFAULTS)).isNull();
    assertThat(w.tick(calm + Duration.ofMinutes(5).toMillis(), DEFAULTS)).isSameAs(open);
    assertThat(open.record().state()).isEqualTo("closed");
  }

  @Test
  void theEdgesOwnRefusalsAreNotOriginFailures() {
    assertThat(Incident.failureCode(ray(null))).isZero();
    RaySummary refused = new RaySummary(Instant.EPOCH, "r", "T1", "127.0.0.1", "GET", "shop.example", "/", "shop.example",
        403, 0, EdgeRefusal.values()[0], null, null, null, List.of(), 0, 0, 1, -1, -1, "t", false, Map.of());
    assertThat(Incident.failureCode(refused)).isZero();
    assertThat(Incident.failureCode(ray(OriginFailure.TLS_CERTIFICATE))).isEqualTo(526);
  }
}
