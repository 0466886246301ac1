package io.edgeray.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the config and the command line write them: 500ms, 19s, 2m, 1h. */
public final class Durations {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private Durations() {}

  /** A duration longer than zero; the exception's message says how to write one. */
  public static Duration parse(String text) {
    String s = text.trim();
    Matcher m = DURATION.matcher(s);
    if (!m.matches()) throw new IllegalArgumentException("\"" + s + "\" is not a duration (write it as 500ms, 19s, 2m or 1h)");
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + s + "\" is too long a duration");
    }
    Duration d = switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
    if (d.isZero()) throw new IllegalArgumentException("\"" + s + "\" must be longer than zero");
    return d;
  }

  /** As the config writes a duration ({@code 19s}, {@code 500ms}, {@code 2m}), so that it reads back the same. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 != 0) return ms + "ms";
    long s = ms / 1000;
    if (s % 3600 == 0) return s / 3600 + "h";
    if (s % 60 == 0) return s / 60 + "m";
    return s + "s";
  }
}
