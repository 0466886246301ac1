package io.edgeray.security;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Instant;

/**
 * What outlives a reload: the clock, the rate-limit counters, the event log and the metrics.
 * Create one when the edge starts and hand it to every {@link SecurityPolicy#build}, so a reload
 * keeps counting and keeps the events. Thread-safe.
 */
public final class SecurityRuntime {
  private final Clock clock;
  private volatile RateCounterStore counters;
  private final SecurityEventLog events;
  private final SecurityMetrics metrics;

  public SecurityRuntime(Clock clock, RateCounterStore counters, SecurityEventLog events, SecurityMetrics metrics) {
    this.clock = clock;
    this.counters = counters;
    this.events = events;
    this.metrics = metrics;
  }

  /** The production set: the system clock, in-process counters, 1000 events per zone, the counter on {@code registry}. */
  public static SecurityRuntime create(PrometheusRegistry registry) {
    Clock clock = Clock.systemUTC();
    return new SecurityRuntime(clock, new LocalRateCounterStore(clock), new SecurityEventLog(), new SecurityMetrics(registry));
  }

  public Clock clock() {
    return clock;
  }

  public RateCounterStore counters() {
    return counters;
  }

  /** From now on, count on {@code store} (a fleet's shared counters) instead. */
  public void useCounters(RateCounterStore store) {
    this.counters = store;
  }

  /** The event log, for {@code GET /api/zones/{zone}/security/events} and the doctor. */
  public SecurityEventLog events() {
    return events;
  }

  public SecurityMetrics metrics() {
    return metrics;
  }

  Instant now() {
    return clock.instant();
  }

  void record(SecurityEvent e) {
    events.add(e);
    metrics.count(e);
  }
}
