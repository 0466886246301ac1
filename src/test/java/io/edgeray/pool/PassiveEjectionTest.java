package io.edgeray.pool;

import io.edgeray.config.OverloadLimit;
import io.edgeray.config.PassiveHealth;
import io.edgeray.config.PoolOrigin;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** How long an origin stays ejected, on a clock the test moves instead of sleeping. */
class PassiveEjectionTest {
  private static final PassiveHealth PASSIVE = new PassiveHealth(2, Duration.ofSeconds(10), Duration.ofSeconds(35), 50);

  private final AtomicLong now = new AtomicLong();
  private final OriginState origin = new OriginState("web",
      new PoolOrigin("a", InetAddress.getLoopbackAddress(), 8000, 1, true, -1), OverloadLimit.NONE, now::get);

  @Test
  void ejectionTimeDoublesWithEachEjectionInARowUpToTheCap() {
    assertThat(PASSIVE.ejectionFor(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(PASSIVE.ejectionFor(2)).isEqualTo(Duration.ofSeconds(20));
    assertThat(PASSIVE.ejectionFor(3)).isEqualTo(Duration.ofSeconds(35));
    assertThat(PASSIVE.ejectionFor(30)).isEqualTo(Duration.ofSeconds(35));
  }

  @Test
  void anOriginThatFailsAgainRightAfterItsEjectionIsEjectedForLonger() {
    assertThat(origin.connectFailed(PASSIVE, true)).isZero();
    assertThat(origin.connectFailed(PASSIVE, true)).isEqualTo(Duration.ofSeconds(10).toNanos());
    assertThat(origin.status()).isEqualTo(OriginStatus.EJECTED);
    assertThat(origin.connectFailed(PASSIVE, true)).as("failures while ejected change nothing").isZero();

    now.addAndGet(Duration.ofSeconds(9).toNanos());
    assertThat(origin.readmitIfDue()).isFalse();
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(origin.readmitIfDue()).isTrue();
    assertThat(origin.status()).isEqualTo(OriginStatus.HEALTHY);

    origin.connectFailed(PASSIVE, true);
    assertThat(origin.connectFailed(PASSIVE, true)).isEqualTo(Duration.ofSeconds(20).toNanos());
  }

  @Test
  void aSuccessfulConnectionEndsTheStreakAndResetsTheGrowth() {
    origin.connectFailed(PASSIVE, true);
    origin.connectFailed(PASSIVE, true);
    now.addAndGet(Duration.ofSeconds(10).toNanos());
    origin.readmitIfDue();
    origin.connectSucceeded();
    origin.connectFailed(PASSIVE, true);
    origin.connectSucceeded();
    assertThat(origin.connectFailed(PASSIVE, true)).as("the streak restarted").isZero();
    assertThat(origin.connectFailed(PASSIVE, true)).as("first ejection again").isEqualTo(Duration.ofSeconds(10).toNanos());
  }

  @Test
  void noEjectionWhenThePoolsCapIsReached() {
    origin.connectFailed(PASSIVE, false);
    assertThat(origin.connectFailed(PASSIVE, false)).isZero();
    assertThat(origin.status()).isEqualTo(OriginStatus.HEALTHY);
  }
}
