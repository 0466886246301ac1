package io.edgeray.security;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code edgeray_security_events_total{zone,rule,action}}. Every label comes from the config
 * (zone names, rule ids, IP rules' blocks), never from the visitor, so the series are bounded.
 */
public final class SecurityMetrics {
  private final Counter events;

  /** Registers the counter on the edge's registry ({@code EdgeMetrics.registry()}). */
  public SecurityMetrics(PrometheusRegistry registry) {
    this.events = Counter.builder()
        .name("edgeray_security_events_total")
        .help("Firewall, IP access and rate-limit rules that fired, by zone, rule and action (block or log)")
        .labelNames("zone", "rule", "action")
        .withoutExemplars()
        .register(registry);
  }

  void count(SecurityEvent e) {
    events.labelValues(e.zone(), e.rule(), e.action().word()).inc();
  }

  /** The count so far for one series, for tests and the doctor. */
  public long count(String zone, String rule, EventAction action) {
    return (long) events.labelValues(zone, rule, action.word()).get();
  }
}
