package io.edgeray.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgeray.testing.TestClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LocalRateCounterStoreTest {
  private final TestClock clock = new TestClock();
  private static final RateQuota HOUR = new RateQuota(1_000_000, Duration.ofHours(1), Duration.ZERO);

  @Test
  void aKeyHitOftenKeepsItsCountThroughAFloodOfNewKeys() {
    LocalRateCounterStore store = new LocalRateCounterStore(1_000, clock);
    int hotHits = 0;
    for (int i = 0; i < 20_000; i++) {
      clock.advance(Duration.ofMillis(1));
      if (i % 50 == 0) {
        store.hit("hot", HOUR, clock.millis());
        hotHits++;
      }
      store.hit("flood-" + i, HOUR, clock.millis());
    }

    RateCount hot = store.hit("hot", HOUR, clock.millis());

    assertThat(hot.remaining()).as("not forgotten: every earlier hit still counts").isEqualTo(1_000_000 - hotHits - 1);
    assertThat(store.size()).isLessThanOrEqualTo(1_000);
  }

  @Test
  void aFullStoreDropsAQuarterAmongTheLeastRecentlyHit() {
    LocalRateCounterStore store = new LocalRateCounterStore(100, clock);
    for (int i = 0; i < 100; i++) {
      clock.advance(Duration.ofMillis(1));
      store.hit("k" + i, HOUR, clock.millis());
    }

    store.hit("one-more", HOUR, clock.millis());

    assertThat(store.size()).isEqualTo(76); // 75 kept, then the new one
    for (int i = 35; i < 100; i++) { // the 25 dropped are among the 35 least recently hit (the cut's margin)
      assertThat(store.hit("k" + i, HOUR, clock.millis()).remaining()).as("k%d kept", i).isEqualTo(1_000_000 - 2);
    }
  }

  @Test
  void aCounterIdleForItsLifetimeIsDroppedByTheNextSweep() {
    LocalRateCounterStore store = new LocalRateCounterStore(1_000, clock);
    RateQuota minute = new RateQuota(5, Duration.ofMinutes(1), Duration.ofMinutes(10));
    for (int i = 0; i < 6; i++) store.hit("blocked", minute, clock.millis());
    store.hit("other", minute, clock.millis());

    clock.advance(Duration.ofMinutes(10)); // the block's end: the lifetime of both
    store.hit("third", minute, clock.millis()); // the sweep is due: it runs on this hit

    assertThat(store.size()).isEqualTo(1);
    assertThat(store.hit("blocked", minute, clock.millis()).limited()).as("a fresh counter").isFalse();
  }

  @Test
  void hitsFromSeveralThreadsOnOneKeyAreCountedExactly() throws Exception {
    LocalRateCounterStore store = new LocalRateCounterStore(1_000, clock);
    RateQuota quota = new RateQuota(5_000, Duration.ofHours(1), Duration.ZERO);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Integer>> passed = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        passed.add(threads.submit(() -> {
          start.await();
          int n = 0;
          for (int i = 0; i < 2_500; i++) if (!store.hit("shared", quota, clock.millis()).limited()) n++;
          return n;
        }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> f : passed) total += f.get(30, TimeUnit.SECONDS);

      assertThat(total).isEqualTo(5_000);
    } finally {
      threads.shutdownNow();
    }
  }
}
