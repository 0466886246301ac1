package io.edgeray.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.load.ConfigLoader;
import io.edgeray.failure.OriginFailure;
import io.edgeray.observe.Attempt;
import io.edgeray.observe.RaySummary;
import io.edgeray.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Analytics alone, with its files in a temporary directory and a clock the test moves: what a crash loses, what a reload drops. */
class AnalyticsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private final TestClock clock = new TestClock();

  private EdgeConfig config(String... zones) throws Exception {
    StringBuilder y = new StringBuilder("node: T1\nlisten: { http: 127.0.0.1:0 }\nzones:\n");
    for (String z : zones) y.append("  - name: ").append(z).append("\n    records: []\n");
    Path f = Files.writeString(dir.resolve("edge.yaml"), y);
    return ConfigLoader.load(f);
  }

  private static RaySummary ray(String zone, int status, OriginFailure failure) {
    List<Attempt> attempts = List.of(new Attempt("127.0.0.1:8000", "web.a", failure, null, 0, false));
    return new RaySummary(TestClock.START, "0123456789abcdef-T1", "T1", "127.0.0.1", "GET", zone, "/", zone, status,
        failure == null ? status : 0, failure, null, null, "127.0.0.1:8000", attempts, 0, 100, 1, 0, 1, "test", Map.of());
  }

  private JsonNode minute(Analytics a, String zone, String t) throws Exception {
    EdgeConfig c = config("shop.example", "other.example");
    String to = java.time.Instant.parse(t).plusSeconds(60).toString();
    AnalyticsQuery q = AnalyticsQuery.parse(Map.of("zone", List.of(zone), "from", List.of(t), "to", List.of(to)), c, clock.instant());
    return JSON.readTree(a.json(q)).get("points").get(0);
  }

  @Test
  void aCrashAfterAFlushLosesOnlyTheMinuteBeingCounted() throws Exception {
    EdgeConfig c = config("shop.example");
    Analytics first = Analytics.start(clock, () -> c, dir.resolve("analytics"));
    first.rayFinished(ray("shop.example", 521, OriginFailure.CONNECTION_REFUSED));
    first.rayFinished(ray("shop.example", 200, null));
    clock.advance(Duration.ofSeconds(70));
    first.rayFinished(ray("shop.example", 200, null)); // 10:01, never flushed
    first.flush(false); // what the flusher does once a minute; then the process dies without close()

    Analytics second = Analytics.start(clock, () -> c, dir.resolve("analytics"));

    JsonNode p = minute(second, "shop.example", "2026-12-01T10:00:00Z");
    assertThat(p.toString()).isEqualTo("{\"t\":\"2026-12-01T10:00:00Z\",\"total\":2,\"by_class\":{\"2xx\":1,\"5xx\":1},"
        + "\"by_code\":{\"521\":1},\"by_origin\":{\"web.a\":{\"total\":2,\"errors\":1}}}");
    assertThat(minute(second, "shop.example", "2026-12-01T10:01:00Z").get("total").asInt()).isZero();
    second.close();
    first.close();
  }

  @Test
  void aZoneTheConfigNoLongerHasIsDroppedAtTheNextFlush() throws Exception {
    AtomicReference<EdgeConfig> c = new AtomicReference<>(config("shop.example", "other.example"));
    Analytics a = Analytics.start(clock, c::get, null);
    a.rayFinished(ray("other.example", 200, null));
    assertThat(minute(a, "other.example", "2026-12-01T10:00:00Z").get("total").asInt()).isEqualTo(1);

    c.set(config("shop.example"));
    a.flush(false);

    assertThat(minute(a, "other.example", "2026-12-01T10:00:00Z").get("total").asInt()).isZero();
    a.close();
  }

  @Test
  void theFileIsRewrittenWhenItHoldsTwoDaysOfMinutes() throws Exception {
    EdgeConfig c = config("shop.example");
    Analytics a = Analytics.start(clock, () -> c, dir.resolve("analytics"));
    for (int m = 0; m < 2 * ZoneSeries.MINUTES + 5; m++) {
      a.rayFinished(ray("shop.example", 200, null));
      clock.advance(Duration.ofMinutes(1));
      a.flush(false);
    }
    List<String> lines = Files.readAllLines(dir.resolve("analytics/shop.example.jsonl"));
    assertThat(lines.size()).isLessThanOrEqualTo(2 * ZoneSeries.MINUTES).isGreaterThanOrEqualTo(ZoneSeries.MINUTES - 1);
    assertThat(Files.list(dir.resolve("analytics")).map(p -> p.getFileName().toString())).containsExactly("shop.example.jsonl");
    a.close();
  }

  @Test
  void aRayReadingTheLiveMinuteJustBeforeItWasReplacedIsStillCounted() {
    ZoneSeries s = new ZoneSeries();
    s.count(ray("shop.example", 200, null), 100);
    LiveMinute old = s.roll(100);
    s.roll(101); // another event loop's first ray of the next minute
    old.count(ray("shop.example", 200, null)); // the late one
    s.roll(102);

    assertThat(s.points(102, 100, 101, 1).get(0).total()).isEqualTo(2);
  }
}
