package io.edgeray.observe;

import io.edgeray.failure.EdgeError;
import io.edgeray.failure.OriginFailure;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Prometheus metrics for rays. Labels are closed sets (zones from the config, statuses, failure
 * names), never values a visitor controls, so a flood of random Host headers cannot blow up memory.
 */
public final class EdgeMetrics implements RayObserver {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  // Histograms keep classic buckets only: the text format Prometheus scrapes shows nothing else,
  // and the client's default native (exponential) buckets were most of each ray's metrics cost.
  // No exemplars on any metric here: without a tracer they carry no trace id, and sampling them
  // cost every counted ray a clock read and a rate check.
  private final Counter requests = Counter.builder()
      .name("edgeray_requests_total")
      .help("Rays finished, by zone, status sent to the visitor and failure (none when proxied)")
      .labelNames("zone", "status", "failure")
      .withoutExemplars()
      .register(registry);
  private final Counter attempts = Counter.builder()
      .name("edgeray_origin_attempts_total")
      .help("Attempts to reach an origin, by zone and failure (none when a response head arrived)")
      .labelNames("zone", "failure")
      .withoutExemplars()
      .register(registry);
  private final Histogram duration = Histogram.builder()
      .name("edgeray_request_duration_seconds")
      .help("Time from request head to the last byte sent to the visitor")
      .labelNames("zone", "status")
      .classicOnly()
      .withoutExemplars()
      .register(registry);
  private final Histogram ttfb = Histogram.builder()
      .name("edgeray_origin_ttfb_seconds")
      .help("Time from request head to the origin's response head")
      .labelNames("zone")
      .classicOnly()
      .withoutExemplars()
      .register(registry);
  private final Histogram connect = Histogram.builder()
      .name("edgeray_origin_connect_seconds")
      .help("TCP connect time to origins, new connections only")
      .labelNames("zone")
      .classicOnly()
      .withoutExemplars()
      .register(registry);

  private final Counter doctorRequests = Counter.builder()
      .name("edgeray_doctor_requests_total")
      .help("Requests of the edge's own doctor, by zone and status: kept out of edgeray_requests_total and the origin counters")
      .labelNames("zone", "status")
      .withoutExemplars()
      .register(registry);

  private final Counter dnsQueries = Counter.builder()
      .name("edgeray_dns_queries_total")
      .help("Packets to the authoritative DNS server, by transport and the rcode answered (none: dropped)")
      .labelNames("transport", "rcode")
      .withoutExemplars()
      .register(registry);

  private final Counter tlsFailures = Counter.builder()
      .name("edgeray_tls_handshake_failures_total")
      .help("Visitor TLS handshakes that failed, by reason: no_sni, unknown_name, protocol, cipher, not_tls, timeout, closed, other")
      .labelNames("reason")
      .withoutExemplars()
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

  /**
   * The labelled children of one zone, looked up once: {@code labelValues} builds a label list and
   * hashes it, which cost an allocation and a map lookup per metric on every ray.
   */
  private final ConcurrentHashMap<String, ZoneSeries> zones = new ConcurrentHashMap<>();

  /** A zone's request counter and duration histogram for one status and failure. */
  private record StatusSeries(int status, CounterDataPoint requests, DistributionDataPoint duration) {}

  private final class ZoneSeries {
    final String zone;
    final DistributionDataPoint ttfb;
    final DistributionDataPoint connect;
    final CounterDataPoint attemptsOk;
    /** Proxied (no failure), by status. */
    final AtomicReferenceArray<StatusSeries> ok = new AtomicReferenceArray<>(600);
    final Map<EdgeError, StatusSeries> failed = new ConcurrentHashMap<>();
    final Map<OriginFailure, CounterDataPoint> attemptsFailed = new ConcurrentHashMap<>();

    ZoneSeries(String zone) {
      this.zone = zone;
      this.ttfb = EdgeMetrics.this.ttfb.labelValues(zone);
      this.connect = EdgeMetrics.this.connect.labelValues(zone);
      this.attemptsOk = attempts.labelValues(zone, "none");
    }

    StatusSeries series(int status, EdgeError error) {
      if (error == null) {
        if (status < 0 || status >= 600) return newSeries(status, null);
        StatusSeries s = ok.get(status);
        if (s == null) {
          s = newSeries(status, null);
          ok.set(status, s);
        }
        return s;
      }
      StatusSeries s = failed.get(error);
      if (s == null || s.status() != status) { // the same failure under another status (a stale copy's 200) is rare
        s = newSeries(status, error);
        failed.put(error, s);
      }
      return s;
    }

    private StatusSeries newSeries(int status, EdgeError error) {
      String code = Integer.toString(status);
      return new StatusSeries(status, requests.labelValues(zone, code, error == null ? "none" : error.name()),
          duration.labelValues(zone, code));
    }

    CounterDataPoint attempts(OriginFailure failure) {
      if (failure == null) return attemptsOk;
      return attemptsFailed.computeIfAbsent(failure, f -> attempts.labelValues(zone, f.name()));
    }
  }

  @Override
  public void rayFinished(RaySummary r) {
    String zone = r.zone() == null ? "-" : r.zone();
    if (r.doctor()) { // the doctor probing a failing origin is not a visitor failing again
      doctorRequests.labelValues(zone, Integer.toString(r.status())).inc();
      return;
    }
    ZoneSeries z = zones.get(zone);
    if (z == null) z = zones.computeIfAbsent(zone, ZoneSeries::new);
    StatusSeries s = z.series(r.status(), r.error());
    s.requests().inc();
    s.duration().observe(r.totalMillis() / 1000.0);
    if (r.ttfbMillis() >= 0) z.ttfb.observe(r.ttfbMillis() / 1000.0);
    for (int i = 0; i < r.attempts().size(); i++) {
      Attempt a = r.attempts().get(i);
      z.attempts(a.failure()).inc();
      if (!a.reused() && a.connectMillis() >= 0 && a.failure() == null) z.connect.observe(a.connectMillis() / 1000.0);
    }
  }
}
