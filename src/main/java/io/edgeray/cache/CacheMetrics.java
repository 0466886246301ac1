package io.edgeray.cache;

import io.edgeray.failure.OriginFailure;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The cache's Prometheus metrics, on the edge's registry. Labels are closed sets: zones from the
 * config, the Edge-Cache-Status values, tier names and a few fixed reasons.
 */
public final class CacheMetrics {
  private final PrometheusRegistry registry;
  private final Counter requests;
  private final Counter bytesServed;
  private final Counter evictions;
  private final Counter storeFailures;
  private final Counter purged;
  private final Counter servedStale;
  private final ConcurrentHashMap<String, ZonePoints> zones = new ConcurrentHashMap<>();

  public CacheMetrics(PrometheusRegistry registry) {
    this.registry = registry;
    requests = Counter.builder()
        .name("edgeray_cache_requests_total")
        .help("Cacheable-path requests, by zone and Edge-Cache-Status (HIT, MISS, EXPIRED, STALE, UPDATING, REVALIDATED, BYPASS, DYNAMIC)")
        .labelNames("zone", "status")
        .withoutExemplars()
        .register(registry);
    bytesServed = Counter.builder()
        .name("edgeray_cache_served_bytes_total")
        .help("Body bytes served from the cache, by zone")
        .labelNames("zone")
        .withoutExemplars()
        .register(registry);
    evictions = Counter.builder()
        .name("edgeray_cache_evictions_total")
        .help("Objects evicted to stay within a tier's size, by tier (memory, disk)")
        .labelNames("tier")
        .withoutExemplars()
        .register(registry);
    storeFailures = Counter.builder()
        .name("edgeray_cache_store_failures_total")
        .help("Responses the cache could not store and bypassed, by reason (disk_full, disk_error, too_large, truncated, corrupt)")
        .labelNames("reason")
        .withoutExemplars()
        .register(registry);
    purged = Counter.builder()
        .name("edgeray_cache_purged_total")
        .help("Objects removed by purges and invalidations, by zone")
        .labelNames("zone")
        .withoutExemplars()
        .register(registry);
    servedStale = Counter.builder()
        .name("edgeray_origin_failures_served_stale_total")
        .help("Origin failures hidden from visitors by a stale copy (Always Online, stale-if-error), by zone and failure code")
        .labelNames("zone", "code")
        .withoutExemplars()
        .register(registry);
  }

  /** Metrics on a registry nobody scrapes: for tests and tools. */
  public static CacheMetrics unregistered() {
    return new CacheMetrics(new PrometheusRegistry());
  }

  /** The tier sizes, read when scraped. */
  void watchTiers(LongSupplier memoryBytes, LongSupplier diskBytes, LongSupplier memoryObjects, LongSupplier diskObjects) {
    GaugeWithCallback.builder()
        .name("edgeray_cache_tier_bytes")
        .help("Bytes held by each cache tier")
        .labelNames("tier")
        .callback(cb -> {
          cb.call(memoryBytes.getAsLong(), "memory");
          cb.call(diskBytes.getAsLong(), "disk");
        })
        .register(registry);
    GaugeWithCallback.builder()
        .name("edgeray_cache_tier_objects")
        .help("Objects held by each cache tier")
        .labelNames("tier")
        .callback(cb -> {
          cb.call(memoryObjects.getAsLong(), "memory");
          cb.call(diskObjects.getAsLong(), "disk");
        })
        .register(registry);
  }

  void request(String zone, EdgeCacheStatus status) {
    ZonePoints z = points(zone);
    CounterDataPoint p = z.requests[status.ordinal()];
    if (p == null) z.requests[status.ordinal()] = p = requests.labelValues(zone, status.name()); // a race gets the same point
    p.inc();
  }

  public void served(String zone, long bytes) {
    if (bytes > 0) points(zone).served.inc(bytes);
  }

  /**
   * A zone's counters, looked up once: labelValues hashes a new list of the labels per call, which
   * every cache hit would pay twice. Zones are the config's names, so the map stays small.
   * {@code stale} is by {@link OriginFailure#statusSlot} of the failure hidden.
   */
  private record ZonePoints(CounterDataPoint served, CounterDataPoint[] requests, CounterDataPoint[] stale) {}

  private ZonePoints points(String zone) {
    ZonePoints z = zones.get(zone);
    if (z != null) return z;
    return zones.computeIfAbsent(zone,
        n -> new ZonePoints(bytesServed.labelValues(n), new CounterDataPoint[EdgeCacheStatus.values().length],
            new CounterDataPoint[OriginFailure.statusSlots()]));
  }

  void evicted(String tier) {
    evictions.labelValues(tier).inc();
  }

  void storeFailed(String reason) {
    storeFailures.labelValues(reason).inc();
  }

  void purged(String zone, long count) {
    if (count > 0) purged.labelValues(zone).inc(count);
  }

  void staleServed(String zone, int code) {
    ZonePoints z = points(zone);
    int i = OriginFailure.statusSlot(code);
    if (i < 0) {
      servedStale.labelValues(zone, Integer.toString(code)).inc();
      return;
    }
    CounterDataPoint p = z.stale[i];
    if (p == null) z.stale[i] = p = servedStale.labelValues(zone, Integer.toString(code)); // a race gets the same point
    p.inc();
  }

  public double servedStale(String zone, int code) {
    return servedStale.labelValues(zone, Integer.toString(code)).get();
  }

  public double requests(String zone, EdgeCacheStatus status) {
    return requests.labelValues(zone, status.name()).get();
  }

  public double storeFailures(String reason) {
    return storeFailures.labelValues(reason).get();
  }

  public double evictions(String tier) {
    return evictions.labelValues(tier).get();
  }

  public double servedBytes(String zone) {
    return bytesServed.labelValues(zone).get();
  }
}
