package io.edgeray.config;

import java.time.Duration;

/** Sizes and idle times that protect the edge and its origins. */
public record Limits(
    int requestHead,
    int urlLength,
    int responseHead,
    Duration visitorIdle,
    Duration originIdle,
    Duration shutdownGrace) {

  public static final Limits DEFAULTS = new Limits(
      128 * 1024, 16 * 1024, 128 * 1024,
      Duration.ofSeconds(400), Duration.ofSeconds(900), Duration.ofSeconds(30));
}
