package io.edgeray.analytics;

import io.edgeray.config.EdgeConfig;
import io.edgeray.config.Zone;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The question of {@code GET /api/analytics?zone=Z&from=ISO&to=ISO&step=1m}, read and checked:
 * the zone must be one of the config's, {@code from} and {@code to} are UTC times (default: the
 * day up to and including the current minute, starting on a whole step), and {@code step} is whole minutes ({@code 1m},
 * {@code 5m}, {@code 1h}) with at most {@link #MAX_POINTS} points.
 */
public record AnalyticsQuery(String zone, long fromMinute, long toMinute, long stepMinutes) {
  public static final int MAX_POINTS = 10_000;

  public static AnalyticsQuery parse(Map<String, List<String>> params, EdgeConfig config, Instant now) {
    String zone = one(params, "zone");
    if (zone == null || zone.isBlank()) throw new ApiError(400, "zone_missing", "name the zone: ?zone=shop.example", "zone");
    Zone z = config.zones().stream().filter(c -> c.name().equalsIgnoreCase(zone)).findFirst()
        .orElseThrow(() -> new ApiError(404, "zone_not_found", "no zone named " + zone + " on this edge", "zone"));
    long nowMinute = Math.floorDiv(now.getEpochSecond(), 60);
    long to = minuteOf(params, "to", nowMinute + 1, true);
    long step = step(one(params, "step"));
    // by default a day, from a whole step (10:00 for 1h steps), so the points fall on round times
    long from = minuteOf(params, "from", Math.floorDiv(to - 24 * 60, step) * step, false);
    if (from >= to) throw new ApiError(400, "range_empty", "from must be before to", "from");
    if ((to - from + step - 1) / step > MAX_POINTS) {
      throw new ApiError(400, "too_many_points", "from..to in steps of " + one(params, "step") + " is more than "
          + MAX_POINTS + " points: take a longer step or a shorter range", "step");
    }
    return new AnalyticsQuery(z.name(), from, to, step);
  }

  public Instant from() {
    return Instant.ofEpochSecond(fromMinute * 60);
  }

  public Instant to() {
    return Instant.ofEpochSecond(toMinute * 60);
  }

  /** The step as the API writes it: {@code 1m}, {@code 90m}, {@code 1h}. */
  public String stepText() {
    return stepMinutes % 60 == 0 ? stepMinutes / 60 + "h" : stepMinutes + "m";
  }

  private static String one(Map<String, List<String>> params, String name) {
    List<String> v = params.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** A time as minutes since the epoch: rounded down, or up for the exclusive end, to a whole minute. */
  private static long minuteOf(Map<String, List<String>> params, String name, long otherwise, boolean roundUp) {
    String v = one(params, name);
    if (v == null || v.isEmpty()) return otherwise;
    Instant t;
    try {
      t = Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new ApiError(400, "bad_time", name + ": \"" + v + "\" is not a UTC time like 2026-12-01T10:00:00Z", name);
    }
    long s = t.getEpochSecond();
    return roundUp && (s % 60 != 0 || t.getNano() != 0) ? Math.floorDiv(s, 60) + 1 : Math.floorDiv(s, 60);
  }

  private static long step(String v) {
    if (v == null || v.isEmpty()) return 1;
    Duration d = null;
    try {
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      char unit = v.charAt(v.length() - 1);
      if (n > 0 && unit == 'm') d = Duration.ofMinutes(n);
      if (n > 0 && unit == 'h') d = Duration.ofHours(n);
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      d = null;
    }
    if (d == null || d.toMinutes() > 24 * 60) {
      throw new ApiError(400, "bad_step", "step: \"" + v + "\" is not a whole number of minutes or hours up to a day, like 1m, 5m or 1h", "step");
    }
    return d.toMinutes();
  }
}
