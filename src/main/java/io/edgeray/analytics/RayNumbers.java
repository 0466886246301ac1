package io.edgeray.analytics;

import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * Which number a ray has in {@link RayIndex}'s ring, by the ray's 64-bit key: buckets of sixteen
 * slots (two cache lines), a slot holding a ray's number. A slot whose ray has left the ring
 * (its number below the ring's first) is free as it stands, so forgetting the oldest ray costs
 * nothing here and a new ray costs one bucket. The hash map this replaces removed the oldest key
 * and inserted the new one for every line the access log wrote: two or three cache misses a
 * line on the log's thread, which shares the proxy's core.
 *
 * <p>The caller checks a candidate's key against the ring. A bucket whose sixteen rays are all
 * still in the ring gives up its oldest, which is then found no more although the log keeps its
 * line. With four slots or more a ray (four rays a bucket at most, on average) that is fewer than
 * one ray in 200,000; at the default capacity, one in six million.
 */
final class RayNumbers {
  private static final int WAYS = 16;

  private final long[] slots; // a ray's number + 1; 0 for a slot never used
  private final int bucketBits;

  /** Room for {@code rays} rays, at four to eight slots each. */
  RayNumbers(int rays) {
    int buckets = Integer.highestOneBit(Math.max(1, (int) Math.min(1 << 26, rays * 4L / WAYS)) * 2 - 1);
    bucketBits = Integer.numberOfTrailingZeros(buckets);
    slots = new long[buckets * WAYS];
  }

  /** The first slot of the bucket of {@code key}. */
  int bucket(long key) {
    return bucketBits == 0 ? 0 : (int) ((key * 0x9e3779b97f4a7c15L) >>> (64 - bucketBits)) * WAYS;
  }

  /** Remembers ray {@code n} under {@code key}; numbers below {@code first} have left the ring. */
  void put(long key, long n, long first) {
    int b = bucket(key);
    int oldest = b;
    for (int i = b; i < b + WAYS; i++) {
      long v = slots[i];
      if (v == 0 || v - 1 < first) {
        slots[i] = n + 1;
        return;
      }
      if (v < slots[oldest]) oldest = i;
    }
    slots[oldest] = n + 1;
  }

  /** The newest ray in {@code [first, written)} under {@code key} for which {@code isKey} holds, or -1. */
  long find(long key, long first, long written, LongPredicate isKey) {
    int b = bucket(key);
    long best = -1;
    for (int i = b; i < b + WAYS; i++) {
      long n = slots[i] - 1;
      if (n >= first && n < written && n > best && isKey.test(n)) best = n;
    }
    return best;
  }

  void clear() {
    Arrays.fill(slots, 0);
  }
}
