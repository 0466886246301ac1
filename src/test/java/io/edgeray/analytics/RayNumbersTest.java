package io.edgeray.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The ray index's table of ray numbers: found while in the ring, slots reused once they leave it. */
class RayNumbersTest {
  /** A ring as RayIndex keeps one: ray n's key in slot n % length, the rays [first, written) known. */
  private static final class Ring {
    final long[] keys;
    final RayNumbers numbers;
    long first;
    long written;

    Ring(int length) {
      keys = new long[length];
      numbers = new RayNumbers(length);
    }

    void add(long key) {
      if (written - first == keys.length) first++;
      long n = written++;
      keys[(int) (n % keys.length)] = key;
      numbers.put(key, n, first);
    }

    long find(long key) {
      return numbers.find(key, first, written, n -> keys[(int) (n % keys.length)] == key);
    }
  }

  @Test
  void everyRayInTheRingIsFoundAndNoneThatLeftIt() {
    Ring ring = new Ring(10_000);
    SplittableRandom random = new SplittableRandom(7);
    long[] all = new long[100_000];
    for (int i = 0; i < all.length; i++) ring.add(all[i] = random.nextLong());
    for (int i = 0; i < all.length; i++) {
      assertThat(ring.find(all[i])).as("ray %d", i).isEqualTo(i >= 90_000 ? i : -1);
    }
  }

  @Test
  void ofTwoRaysWithOneKeyTheNewerIsFound() {
    Ring ring = new Ring(100);
    ring.add(42);
    ring.add(7);
    ring.add(42);
    assertThat(ring.find(42)).isEqualTo(2);
    assertThat(ring.find(7)).isEqualTo(1);
    assertThat(ring.find(99)).isEqualTo(-1);
  }

  @Test
  void aBucketOfSixteenRaysStillInTheRingGivesUpItsOldestOnly() {
    Ring ring = new Ring(1000);
    List<Long> sameBucket = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(11);
    int target = ring.numbers.bucket(1L);
    while (sameBucket.size() < 17) {
      long k = random.nextLong();
      if (ring.numbers.bucket(k) == target) sameBucket.add(k);
    }
    for (long k : sameBucket) ring.add(k);
    assertThat(ring.find(sameBucket.get(0))).as("the oldest gave way").isEqualTo(-1);
    for (int i = 1; i < 17; i++) assertThat(ring.find(sameBucket.get(i))).isEqualTo(i);
  }

  @Test
  void clearedItKnowsNoRay() {
    Ring ring = new Ring(100);
    ring.add(5);
    ring.numbers.clear();
    assertThat(ring.find(5)).isEqualTo(-1);
  }
}
