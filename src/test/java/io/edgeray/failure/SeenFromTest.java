package io.edgeray.failure;

import static io.edgeray.failure.OriginFailure.CONNECTION_REFUSED;
import static io.edgeray.failure.OriginFailure.CONNECT_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.failure.SeenFrom.Sight;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one sentence that tells an origin that is down from a path that is broken. */
class SeenFromTest {
  private static Sight ok(String place) {
    return Sight.answered(place);
  }

  private static Sight failed(String place, OriginFailure f) {
    return Sight.failed(place, f, null);
  }

  @Test
  void theSameFailureFromEveryLocationIsTheOrigin() {
    assertThat(SeenFrom.summary(List.of(failed("AMS", CONNECTION_REFUSED), failed("FRA", CONNECTION_REFUSED),
        failed("SIN", CONNECTION_REFUSED)))).isEqualTo("refused from all 3 locations: the origin is down");
    assertThat(SeenFrom.summary(List.of(failed("AMS", CONNECT_TIMEOUT), failed("SIN", CONNECT_TIMEOUT))))
        .isEqualTo("times out from all 2 locations: the origin is down, or drops every connection");
  }

  @Test
  void aFailureFromSomeLocationsWhileOthersGetAnswersIsAPath() {
    assertThat(SeenFrom.summary(List.of(ok("AMS"), ok("FRA"), failed("SIN", CONNECT_TIMEOUT))))
        .isEqualTo("times out from SIN only: a path or firewall problem near SIN, not the origin");
    assertThat(SeenFrom.summary(List.of(failed("AMS", CONNECTION_REFUSED), ok("FRA"), failed("SIN", CONNECTION_REFUSED))))
        .isEqualTo("refused from AMS and SIN only: a path or firewall problem near AMS and SIN, not the origin");
    assertThat(SeenFrom.summary(List.of(failed("AMS", CONNECTION_REFUSED), ok("FRA"), failed("SIN", CONNECT_TIMEOUT))))
        .isEqualTo("refused from AMS, times out from SIN, answers from FRA: path or firewall problems near AMS and SIN, not the origin");
  }

  @Test
  void differentFailuresFromEveryLocationAreStillTheOrigin() {
    assertThat(SeenFrom.summary(List.of(failed("AMS", CONNECTION_REFUSED), failed("SIN", CONNECT_TIMEOUT))))
        .isEqualTo("fails from all 2 locations (refused from AMS; times out from SIN): the origin is down, not one path");
  }

  @Test
  void agreementIsNoDisagreementAndOneLocationCannotTell() {
    assertThat(SeenFrom.disagreement(List.of(ok("AMS"), ok("SIN")))).isNull();
    assertThat(SeenFrom.disagreement(List.of(failed("AMS", CONNECTION_REFUSED), failed("SIN", CONNECTION_REFUSED)))).isNull();
    assertThat(SeenFrom.disagreement(List.of(failed("AMS", CONNECTION_REFUSED), ok("SIN"))))
        .isEqualTo("refused from AMS only: a path or firewall problem near AMS, not the origin");
    assertThat(SeenFrom.summary(List.of(ok("AMS"), ok("SIN")))).isEqualTo("answers from all 2 locations");
    assertThat(SeenFrom.summary(List.of(failed("AMS", CONNECTION_REFUSED))))
        .isEqualTo("refused from AMS, the only location asked: it cannot tell the origin from the path");
    assertThat(SeenFrom.summary(List.of(Sight.failed("AMS", null, "fails its health check"), ok("SIN"))))
        .isEqualTo("fails its health check from AMS only: a path or firewall problem near AMS, not the origin");
  }
}
