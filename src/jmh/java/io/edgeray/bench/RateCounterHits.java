package io.edgeray.bench;

import io.edgeray.security.CaffeineRateCounterStore;
import io.edgeray.security.LocalRateCounterStore;
import io.edgeray.security.RateCount;
import io.edgeray.security.RateCounterStore;
import io.edgeray.security.RateQuota;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One rate-limit hit in the counter store, the map-based {@link LocalRateCounterStore} against
 * the Caffeine cache it replaced (issue 18): {@code keys=1} is the bench's pattern (one visitor
 * address, the per-IP limit of {@code bench/conf/edgeray-rules.yaml}, a key built anew per
 * request as {@code ZonePolicy} does), {@code keys=10000} many visitors taking turns. The clock is
 * the real one, read per hit, as the edge does.
 *
 * <pre>java -jar target/benchmarks.jar RateCounterHits -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RateCounterHits {
  private static final RateQuota QUOTA = new RateQuota(1_000_000_000, Duration.ofMinutes(1), Duration.ZERO);
  private static final String PREFIX = "bench.test\0per-ip\0";

  @Param({"1", "10000"})
  public int keys;

  private RateCounterStore map;
  private RateCounterStore caffeine;
  private String[] addresses;
  private int next;

  @Setup
  public void setup() {
    map = new LocalRateCounterStore(Clock.systemUTC());
    caffeine = new CaffeineRateCounterStore(LocalRateCounterStore.DEFAULT_MAX_COUNTERS, Clock.systemUTC());
    addresses = new String[keys];
    for (int i = 0; i < keys; i++) addresses[i] = keys == 1 ? "127.0.0.1" : "10.0." + (i >> 8) + "." + (i & 255);
  }

  /** The key as the request filter makes it: a new String per request, so its hash is computed each time. */
  private String key() {
    String a = addresses[next];
    if (++next == keys) next = 0;
    return PREFIX.concat(a);
  }

  @Benchmark
  public RateCount map() {
    return map.hit(key(), QUOTA, System.currentTimeMillis());
  }

  @Benchmark
  public RateCount caffeine() {
    return caffeine.hit(key(), QUOTA, System.currentTimeMillis());
  }
}
