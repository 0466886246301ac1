package io.edgeray.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {
  @Test
  void returnsAsSoonAsTheConditionHolds() {
    AtomicInteger polls = new AtomicInteger();
    Await.until(Duration.ofSeconds(2), () -> polls.incrementAndGet() >= 3, "third poll");
    assertThat(polls.get()).isEqualTo(3);
  }

  @Test
  void namesWhatItWaitedForWhenTimeRunsOut() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> Await.until(Duration.ofMillis(50), () -> false, "the moon to turn blue"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the moon to turn blue");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }
}
