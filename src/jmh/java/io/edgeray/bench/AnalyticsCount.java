package io.edgeray.bench;

import io.edgeray.analytics.Analytics;
import io.edgeray.analytics.AnalyticsQuery;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.failure.OriginFailure;
import io.edgeray.observe.Attempt;
import io.edgeray.observe.RaySummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Analytics' two costs: {@code rayFinished} as the event loops pay it (a proxied 200 and a 521
 * with one failed attempt, two threads counting into the same zone at once), and {@code GET
 * /api/analytics} for a whole day of one zone at one-minute steps (1440 points, every minute
 * with traffic on three origins and two edge codes), whose goal is 100 ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AnalyticsCount {
  /** A clock that stands where the set-up puts it, so a day of minutes is filled in no time. */
  static final class SetClock extends Clock {
    volatile Instant now = Instant.parse("2026-12-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public long millis() {
      return now.toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private final RaySummary ok = ray(200, null, "web.a");
  private final RaySummary refused = ray(521, OriginFailure.CONNECTION_REFUSED, "web.b");
  private Analytics counting;
  private Analytics day;
  private AnalyticsQuery wholeDay;
  private SetClock dayClock;

  private static RaySummary ray(int status, OriginFailure failure, String origin) {
    return new RaySummary(Instant.parse("2026-12-01T10:00:00Z"), "8f3a1c0d2b4e6a71-AMS", "AMS", "203.0.113.7", "GET",
        "shop.example", "/", "shop.example", status, failure == null ? status : 0, failure, null, null, "127.0.0.1:8000",
        List.of(new Attempt("127.0.0.1:8000", origin, failure, null, 0, failure == null)), 0, 2841, 0.4, 0.2, 0.3,
        "curl/7.88.1", false, Map.of());
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path dir = Files.createTempDirectory("edgeray-bench-analytics");
    EdgeConfig config = ConfigLoader.load(Files.writeString(dir.resolve("edge.yaml"),
        "node: AMS\nlisten: { http: 127.0.0.1:0 }\nzones:\n  - name: shop.example\n    records: []\n"));
    counting = Analytics.start(Clock.systemUTC(), () -> config, null);
    dayClock = new SetClock();
    day = Analytics.start(dayClock, () -> config, null);
    RaySummary timeout = ray(522, OriginFailure.CONNECT_TIMEOUT, "web.c");
    for (int m = 0; m < 24 * 60; m++) {
      for (int i = 0; i < 20; i++) day.rayFinished(ok);
      day.rayFinished(refused);
      day.rayFinished(timeout);
      dayClock.now = dayClock.now.plusSeconds(60);
    }
    wholeDay = AnalyticsQuery.parse(Map.of("zone", List.of("shop.example")), config, dayClock.now.minusSeconds(60));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    counting.close();
    day.close();
  }

  @Benchmark
  @Threads(2)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public void rayFinishedProxied200() {
    counting.rayFinished(ok);
  }

  @Benchmark
  @Threads(2)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public void rayFinishedRefused521() {
    counting.rayFinished(refused);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public int queryWholeDayOneMinuteSteps() {
    return day.json(wholeDay).length;
  }
}
