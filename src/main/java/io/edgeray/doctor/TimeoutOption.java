package io.edgeray.doctor;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --timeout}: a duration written as the config writes them ({@code 500ms}, {@code 2s},
 * {@code 1m}; the syntax of {@code io.edgeray.config.load.ConfigValue#duration}), or a plain number of
 * milliseconds, which is what the option took before and still means.
 */
final class TimeoutOption implements ITypeConverter<Duration> {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
  private static final Pattern MILLIS = Pattern.compile("\\d+");

  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  static Duration parse(String value) {
    String s = value.trim();
    Duration d;
    if (MILLIS.matcher(s).matches()) {
      d = Duration.ofMillis(Long.parseLong(s));
    } else {
      Matcher m = DURATION.matcher(s);
      if (!m.matches()) {
        throw new TypeConversionException("\"" + value + "\" is not a duration (write it as 500ms, 19s, 2m or 1h;"
            + " a plain number is milliseconds)");
      }
      long n = Long.parseLong(m.group(1));
      d = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
    if (d.isZero()) throw new TypeConversionException("\"" + value + "\": must be longer than zero");
    return d;
  }
}
