package io.edgeray.fleet;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * A fleet node's own series: whether it reaches etcd and Redis, which config revision it serves,
 * how many configs from etcd it refused, and how many rate-limit hits it counted locally because
 * Redis did not answer in time.
 */
final class FleetMetrics {
  private final Gauge etcdUp;
  private final Gauge revision;
  private final Counter refused;
  private final Gauge redisUp;
  private final Counter fallbacks;

  FleetMetrics(PrometheusRegistry registry) {
    etcdUp = Gauge.builder().name("edgeray_fleet_etcd_up")
        .help("1 while the node watches the fleet's config on etcd, 0 while it serves its last good config without etcd")
        .register(registry);
    revision = Gauge.builder().name("edgeray_fleet_config_revision")
        .help("The etcd revision of the fleet config this node serves").register(registry);
    refused = Counter.builder().name("edgeray_fleet_config_refused_total")
        .help("Fleet configs from etcd this node refused as invalid (it kept the one before)")
        .withoutExemplars().register(registry);
    redisUp = Gauge.builder().name("edgeray_fleet_redis_up")
        .help("1 while rate limits count on Redis, 0 while they count on this node only").register(registry);
    fallbacks = Counter.builder().name("edgeray_fleet_rate_limit_local_total")
        .help("Rate-limit hits counted on this node only because Redis was down or slower than fleet.redis_timeout")
        .withoutExemplars()
        .register(registry);
  }

  void etcdUp(boolean up) {
    etcdUp.set(up ? 1 : 0);
  }

  void revision(long r) {
    revision.set(r);
  }

  void refused() {
    refused.inc();
  }

  void redisUp(boolean up) {
    redisUp.set(up ? 1 : 0);
  }

  void fallback() {
    fallbacks.inc();
  }

  long fallbacks() {
    return (long) fallbacks.get();
  }
}
