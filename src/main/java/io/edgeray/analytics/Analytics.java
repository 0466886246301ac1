package io.edgeray.analytics;

import com.fasterxml.jackson.core.JsonGenerator;
import io.edgeray.config.EdgeConfig;
import io.edgeray.config.Zone;
import io.edgeray.observe.RayObserver;
import io.edgeray.observe.RaySummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests per zone and minute, by status class, edge code and origin, for the last day: what
 * the dashboard charts and {@code GET /api/analytics} answers. It watches rays as an observer
 * (on the event loops: a map lookup and a few {@code LongAdder} increments per ray), keeps a ring
 * of minutes per zone in memory, and appends finished minutes to {@code analytics/ZONE.jsonl}
 * beside the access log once a minute and at shutdown, on its own thread, so a restart loses at
 * most the minute it crashed in. Minutes follow the injected clock, so tests move time.
 */
public final class Analytics implements RayObserver, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Analytics.class);

  private final Clock clock;
  private final Supplier<EdgeConfig> config;
  private final AnalyticsFiles files; // null: kept in memory only (the access log goes to stdout)
  private final Map<String, ZoneSeries> zones = new ConcurrentHashMap<>();
  private static final ZoneSeries NOTHING_COUNTED = new ZoneSeries(); // only ever read
  private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "edgeray-analytics");
    t.setDaemon(true);
    return t;
  });

  private Analytics(Clock clock, Supplier<EdgeConfig> config, Path dir) {
    this.clock = clock;
    this.config = config;
    this.files = dir == null ? null : new AnalyticsFiles(dir);
  }

  /**
   * Reads back what {@code dir} holds for the config's zones and starts flushing once a minute.
   *
   * @param dir where the files are, or null to keep analytics in memory only
   */
  public static Analytics start(Clock clock, Supplier<EdgeConfig> config, Path dir) {
    Analytics a = new Analytics(clock, config, dir);
    a.restore();
    a.flusher.scheduleAtFixedRate(() -> a.flush(false), 60, 60, TimeUnit.SECONDS);
    return a;
  }

  /** The directory beside an access log file, or null when the log goes to stdout. */
  public static Path dirBeside(String accessLog) {
    if (accessLog.equals("-")) return null;
    Path parent = Path.of(accessLog).toAbsolutePath().getParent();
    return parent.resolve("analytics");
  }

  private void restore() {
    if (files == null) return;
    long now = minuteNow();
    for (Zone z : config.get().zones()) {
      AnalyticsFiles.Read r = files.read(z.name());
      if (r.lines() == 0) continue;
      ZoneSeries s = new ZoneSeries();
      s.restore(r.minutes(), now, r.lines());
      zones.put(z.name(), s);
    }
  }

  private long minuteNow() {
    return Math.floorDiv(clock.millis(), 60_000L);
  }

  @Override
  public void rayFinished(RaySummary ray) {
    String zone = ray.zone();
    if (zone == null) return; // no zone of this edge's (1001, 1003): nobody's analytics
    ZoneSeries s = zones.get(zone);
    if (s == null) s = zones.computeIfAbsent(zone, z -> new ZoneSeries());
    s.count(ray, minuteNow());
  }

  /**
   * Appends every finished minute (and, with {@code includeLive}, the one being counted) to the
   * files, rewrites files grown too long, and forgets zones the config no longer has.
   */
  public void flush(boolean includeLive) {
    long now = minuteNow();
    Set<String> configured = config.get().zones().stream().map(Zone::name).collect(Collectors.toSet());
    zones.keySet().removeIf(z -> !configured.contains(z));
    if (files == null) return;
    for (Map.Entry<String, ZoneSeries> e : zones.entrySet()) {
      ZoneSeries s = e.getValue();
      try {
        List<MinuteCounts> due = s.unwritten(now, includeLive);
        if (s.fileWantsCompacting()) {
          files.rewrite(e.getKey(), s.keptMinutes(now));
        } else {
          files.append(e.getKey(), due);
        }
      } catch (IOException | RuntimeException x) {
        LOG.warn("analytics: cannot write {} for zone {} ({}); the next flush tries again", files.dir(), e.getKey(), x.toString());
      }
    }
  }

  /**
   * {@code {"zone", "step", "points":[{t, total, by_class, by_code, by_origin}…]}} for minutes
   * {@code from} (inclusive) to {@code to} (exclusive), {@code step} minutes a point; a zone with
   * nothing counted yet has points of zero.
   */
  public byte[] json(AnalyticsQuery q) {
    ZoneSeries s = zones.getOrDefault(q.zone(), NOTHING_COUNTED);
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try (JsonGenerator g = PointJson.JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("zone", q.zone());
      g.writeStringField("step", q.stepText());
      g.writeStringField("from", q.from().toString());
      g.writeStringField("to", q.to().toString());
      g.writeArrayFieldStart("points");
      for (MinuteCounts c : s.points(minuteNow(), q.fromMinute(), q.toMinute(), q.stepMinutes())) PointJson.write(c, g);
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // into memory
    }
    return out.toByteArray();
  }

  public Clock clock() {
    return clock;
  }

  /** Stops the flusher and writes everything, the minute being counted too. Call once the edge no longer finishes rays. */
  @Override
  public void close() {
    flusher.shutdownNow();
    try {
      flusher.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush(true);
  }
}
