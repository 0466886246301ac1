package io.edgeray.pool;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Pool health as Prometheus metrics: one gauge per origin and pool state (1 for the current one),
 * and a counter of state changes. Labels are pool and origin names from the config, a closed set.
 */
public final class PoolMetrics {
  private PoolMetrics() {}

  public static void register(PrometheusRegistry registry, Pools pools) {
    GaugeWithCallback.builder()
        .name("edgeray_pool_origin_state")
        .help("1 for an origin's current state (healthy, unhealthy, ejected, disabled), by pool and origin")
        .labelNames("pool", "origin", "state")
        .callback(cb -> {
          for (Pool p : pools.all()) {
            for (OriginState o : p.origins()) {
              OriginStatus now = o.status();
              for (OriginStatus s : OriginStatus.values()) cb.call(s == now ? 1 : 0, p.name(), o.origin().name(), s.word());
            }
          }
        })
        .register(registry);
    GaugeWithCallback.builder()
        .name("edgeray_pool_state")
        .help("1 for a pool's current state (healthy, degraded, critical)")
        .labelNames("pool", "state")
        .callback(cb -> {
          for (Pool p : pools.all()) {
            PoolStatus now = p.status();
            for (PoolStatus s : PoolStatus.values()) cb.call(s == now ? 1 : 0, p.name(), s.word());
          }
        })
        .register(registry);
    GaugeWithCallback.builder()
        .name("edgeray_pool_origin_connections")
        .help("Open connections from this edge to a pool origin")
        .labelNames("pool", "origin")
        .callback(cb -> {
          for (Pool p : pools.all()) {
            for (OriginState o : p.origins()) cb.call(o.connections().open(), p.name(), o.origin().name());
          }
        })
        .register(registry);
    CounterWithCallback.builder()
        .name("edgeray_pool_state_changes_total")
        .help("Origin and pool state changes, by pool, origin (empty for the pool) and new state")
        .labelNames("pool", "origin", "state")
        .callback(cb -> pools.changeCounts().forEach((k, n) -> cb.call(n, k.get(0), k.get(1), k.get(2))))
        .register(registry);
  }
}
