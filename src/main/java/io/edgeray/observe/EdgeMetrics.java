package io.edgeray.observe;

import io.edgeray.observe.Attempt;
import io.edgeray.observe.RaySummary;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Prometheus metrics for rays. Labels are closed sets (zones from the config, statuses, failure
 * names), never values a visitor controls, so a flood of random Host headers cannot blow up memory.
 */
public final class EdgeMetrics implements RayObserver {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests = Counter.builder()
      .name("edgeray_requests_total")
      .help("Rays finished, by zone, status sent to the visitor and failure (none when proxied)")
      .labelNames("zone", "status", "failure")
      .register(registry);
  private final Counter attempts = Counter.builder()
      .name("edgeray_origin_attempts_total")
      .help("Attempts to reach an origin, by zone and failure (none when a response head arrived)")
      .labelNames("zone", "failure")
      .register(registry);
  private final Histogram duration = Histogram.builder()
      .name("edgeray_request_duration_seconds")
      .help("Time from request head to the last byte sent to the visitor")
      .labelNames("zone", "status")
      .register(registry);
  private final Histogram ttfb = Histogram.builder()
      .name("edgeray_origin_ttfb_seconds")
      .help("Time from request head to the origin's response head")
      .labelNames("zone")
      .register(registry);
  private final Histogram connect = Histogram.builder()
      .name("edgeray_origin_connect_seconds")
      .help("TCP connect time to origins, new connections only")
      .labelNames("zone")
      .register(registry);

  private final Counter doctorRequests = Counter.builder()
      .name("edgeray_doctor_requests_total")
      .help("Requests of the edge's own doctor, by zone and status: kept out of edgeray_requests_total and the origin counters")
      .labelNames("zone", "status")
      .register(registry);

  private final Counter dnsQueries = Counter.builder()
      .name("edgeray_dns_queries_total")
      .help("Packets to the authoritative DNS server, by transport and the rcode answered (none: dropped)")
      .labelNames("transport", "rcode")
      .register(registry);

  private final Counter tlsFailures = Counter.builder()
      .name("edgeray_tls_handshake_failures_total")
      .help("Visitor TLS handshakes that failed, by reason: no_sni, unknown_name, protocol, cipher, not_tls, timeout, closed, other")
      .labelNames("reason")
      .register(registry);

  @Override
  public void tlsHandshakeFailed(String reason) {
    tlsFailures.labelValues(reason).inc();
  }

  /** One packet answered by the authoritative DNS server; both labels are closed sets. */
  public void dnsAnswered(String transport, String rcode) {
    dnsQueries.labelValues(transport, rcode).inc();
  }

  /** Access-log lines dropped because the disk could not keep up: the owner must see that evidence went missing. */
  public void watchAccessLog(AccessLog log) {
    CounterWithCallback.builder()
        .name("edgeray_access_log_dropped_total")
        .help("Access-log lines dropped because the writer's queue was full")
        .callback(cb -> cb.call(log.dropped()))
        .register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  @Override
  public void rayFinished(RaySummary r) {
    String zone = r.zone() == null ? "-" : r.zone();
    String status = Integer.toString(r.status());
    if (r.doctor()) { // the doctor probing a failing origin is not a visitor failing again
      doctorRequests.labelValues(zone, status).inc();
      return;
    }
    String failure = r.error() == null ? "none" : r.error().name();
    requests.labelValues(zone, status, failure).inc();
    duration.labelValues(zone, status).observe(r.totalMillis() / 1000.0);
    if (r.ttfbMillis() >= 0) ttfb.labelValues(zone).observe(r.ttfbMillis() / 1000.0);
    for (Attempt a : r.attempts()) {
      attempts.labelValues(zone, a.failure() == null ? "none" : a.failure().name()).inc();
      if (!a.reused() && a.connectMillis() >= 0 && a.failure() == null) {
        connect.labelValues(zone).observe(a.connectMillis() / 1000.0);
      }
    }
  }
}
