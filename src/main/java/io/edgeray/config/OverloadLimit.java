package io.edgeray.config;

import java.time.Duration;

/**
 * Per origin: at most {@code maxConnections} open connections from this edge (0: no limit); up to
 * {@code queue} requests wait for one to free up, each at most {@code queueTimeout}; beyond that
 * the edge answers 503 connection_limit_reached instead of piling onto an overloaded origin.
 */
public record OverloadLimit(int maxConnections, int queue, Duration queueTimeout) {
  public static final OverloadLimit NONE = new OverloadLimit(0, 0, Duration.ZERO);

  public boolean limited() {
    return maxConnections > 0;
  }
}
