package io.edgeray.cli;

import io.edgeray.config.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration option as the config writes durations: {@code 500ms}, {@code 2s}, {@code 5m},
 * {@code 1h}. Use it as {@code @Option(names = "--timeout", converter = DurationConverter.class)}
 * on a {@link Duration} field.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
