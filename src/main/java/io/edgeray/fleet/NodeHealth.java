package io.edgeray.fleet;

import java.util.List;

/**
 * What a node publishes under {@code PREFIX/health/NAME}, held by its lease: its own view of every
 * monitored pool origin, from its own health checks.
 *
 * @param at when it published this (ISO-8601, UTC)
 */
record NodeHealth(String node, String location, String at, List<Seen> origins) {
  /**
   * One origin: its state on that node by that node's own checks (healthy, unhealthy, ejected,
   * disabled) and how its last check ended.
   */
  record Seen(String pool, String origin, String state, String lastCheck, Boolean passed, String failure, String detail) {}
}
