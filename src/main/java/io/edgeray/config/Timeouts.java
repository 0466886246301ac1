package io.edgeray.config;

import java.time.Duration;

/**
 * How long the edge waits on an origin. {@code connect} ends in 522, {@code read} (response
 * head after the request was sent) and {@code write} (request body stalled) in 524.
 */
public record Timeouts(Duration connect, Duration read, Duration write) {
  public static final Timeouts DEFAULTS =
      new Timeouts(Duration.ofSeconds(19), Duration.ofSeconds(125), Duration.ofSeconds(30));
}
